package org.consultscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test: on seeded random small data sets, every metric of consultant_metrics
 * that the generated sources feed equals a plain-Java value computed here from the catalogue's
 * definitions. Sessions of one customer never overlap in time, and gaps of exactly the
 * 7-day windows are planted on purpose.
 */
class ReferenceMetricsTest {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final long WINDOW = 7 * 86_400L;
  private static final String[] CONSULTANTS = {"A", "B", "C"};
  private static final String[] RELATIONS = {"self", "peer", "manager", "subordinate"};
  private static final Map<String, Double> WEIGHTS = Map.of("manager", 0.5, "peer", 0.3, "subordinate", 0.2);
  private static final double EPS = 1e-9;

  private record Session(String id, String consultant, String customer, LocalDateTime start, LocalDateTime end,
      boolean inbound, boolean resolved) {}

  private record Message(String session, LocalDateTime sent, String sender) {}

  private record Audit(String id, String session, Double[] items, boolean critical) {}

  private record Review(String reviewee, String relation, LocalDate day, Double[] items) {}

  private record Outcome(String id, String type, BigDecimal amount, LocalDateTime occurred, String customer,
      String session) {}

  /** One generated data set. */
  private static final class DataSet {
    final List<Session> sessions = new ArrayList<>();
    final List<Message> messages = new ArrayList<>();
    final List<Audit> audits = new ArrayList<>();
    final List<Review> reviews = new ArrayList<>();
    final List<Outcome> outcomes = new ArrayList<>();
    final Map<String, Map<LocalDate, Double>> minutes = new HashMap<>();
    final List<String> workLines = new ArrayList<>();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 29, 47})
  void metricsMatchReference(long seed, @TempDir Path dir) {
    DataSet data = generate(new Random(seed));
    Map<String, Row> rows = runJob(data, dir);

    for (String consultant : CONSULTANTS) {
      Map<String, Object> expected = reference(data, consultant);
      Row row = rows.get(consultant);
      if (row == null) {
        assertEquals(0L, expected.get("sessions_total"), "seed " + seed + ": no row for " + consultant);
        continue;
      }
      for (Map.Entry<String, Object> metric : new TreeMap<>(expected).entrySet()) {
        if (metric.getKey().equals("sessions_total")) {
          continue;
        }
        assertMetric(metric.getValue(), row.getAs(metric.getKey()), "seed " + seed + " " + consultant + " "
            + metric.getKey());
      }
    }
  }

  private static void assertMetric(Object expected, Object actual, String message) {
    if (expected == null) {
      assertNull(actual, message);
      return;
    }
    assertNotNull(actual, message);
    if (expected instanceof BigDecimal decimal) {
      assertEquals(0, decimal.compareTo((BigDecimal) actual), message + ": " + decimal + " vs " + actual);
      return;
    }
    assertEquals(((Number) expected).doubleValue(), ((Number) actual).doubleValue(), EPS, message);
  }

  // Generation

  private static DataSet generate(Random random) {
    DataSet data = new DataSet();
    int sequence = 0;
    for (int c = 1; c <= 4; c++) {
      String customer = "U" + c;
      LocalDateTime start = LocalDateTime.of(2026, 9, 1, 8, 0).plusMinutes(random.nextInt(3 * 1440));
      while (start.getMonthValue() == 9) {
        LocalDateTime end = start.plusMinutes(1 + random.nextInt(90)).plusSeconds(random.nextInt(60));
        Session session = new Session("s" + (++sequence), CONSULTANTS[random.nextInt(CONSULTANTS.length)], customer,
            start, end, random.nextDouble() < 0.75, random.nextDouble() < 0.6);
        data.sessions.add(session);
        addMessages(data, session, random);
        addAudits(data, session, random);
        addOutcome(data, session, random);
        start = end.plusSeconds(nextGap(random));
      }
    }
    addReviews(data, random);
    addWorkTime(data, random);
    return data;
  }

  /** Gap between a customer's sessions: sometimes exactly the 7-day window or one second more. */
  private static long nextGap(Random random) {
    double draw = random.nextDouble();
    if (draw < 0.15) {
      return WINDOW;
    }
    if (draw < 0.3) {
      return WINDOW + 1;
    }
    return 60 + random.nextInt(5 * 86_400);
  }

  private static void addMessages(DataSet data, Session session, Random random) {
    if (random.nextDouble() < 0.3) {
      return;
    }
    long length = java.time.Duration.between(session.start(), session.end()).getSeconds();
    LocalDateTime sent = session.start();
    String[] senders = {"customer", "customer", "consultant", "system"};
    for (int i = 0; i < 2 + random.nextInt(7); i++) {
      data.messages.add(new Message(session.id(), sent, senders[random.nextInt(senders.length)]));
      sent = sent.plusSeconds(random.nextInt((int) Math.max(1, length / 4)));
      if (sent.isAfter(session.end())) {
        break;
      }
    }
  }

  private static void addAudits(DataSet data, Session session, Random random) {
    for (int i = 0; i < random.nextInt(3); i++) {
      Double[] items = new Double[4];
      for (int k = 0; k < 4; k++) {
        items[k] = random.nextDouble() < 0.3 ? null : (double) random.nextInt(101);
      }
      if (items[0] == null && items[1] == null && items[2] == null && items[3] == null) {
        items[1] = 50.0;
      }
      data.audits.add(new Audit(session.id() + "-q" + i, session.id(), items, random.nextDouble() < 0.2));
    }
  }

  private static void addOutcome(DataSet data, Session session, Random random) {
    double draw = random.nextDouble();
    if (draw > 0.5) {
      return;
    }
    String type = random.nextDouble() < 0.25 ? "refund" : random.nextBoolean() ? "purchase" : "renewal";
    BigDecimal amount = BigDecimal.valueOf(random.nextInt(100_000), 2);
    if (draw < 0.2) {
      data.outcomes.add(new Outcome("o-" + session.id(), type, amount, session.end(), null, session.id()));
      return;
    }
    // Customer-only: up to eight days after the end, sometimes exactly at the window's end.
    long after = random.nextDouble() < 0.2 ? WINDOW : random.nextInt(8 * 86_400);
    data.outcomes.add(new Outcome("o-" + session.id(), type, amount, session.start().plusSeconds(
        java.time.Duration.between(session.start(), session.end()).getSeconds() + after), session.customer(), null));
  }

  private static void addReviews(DataSet data, Random random) {
    for (String consultant : CONSULTANTS) {
      for (int i = 0; i < random.nextInt(6); i++) {
        Double[] items = new Double[4];
        for (int k = 0; k < 4; k++) {
          items[k] = random.nextDouble() < 0.3 ? null : (double) (1 + random.nextInt(5));
        }
        if (items[0] == null && items[1] == null && items[2] == null && items[3] == null) {
          items[0] = 3.0;
        }
        LocalDate day = LocalDate.of(2026, 9, 1).plusDays(random.nextInt(35));
        data.reviews.add(new Review(consultant, RELATIONS[random.nextInt(RELATIONS.length)], day, items));
      }
    }
  }

  private static void addWorkTime(DataSet data, Random random) {
    for (String consultant : CONSULTANTS) {
      if (consultant.equals("C")) {
        continue;
      }
      for (int i = 0; i < 5 + random.nextInt(5); i++) {
        LocalDate day = LocalDate.of(2026, 9, 1).plusDays(random.nextInt(32));
        // Distinct values, so no two rows are exact duplicates that ingest would drop.
        double minutes = random.nextInt(1000) + i / 10.0;
        data.workLines.add(consultant + "," + day + "," + minutes);
        data.minutes.computeIfAbsent(consultant, k -> new HashMap<>()).merge(day, minutes, Double::sum);
      }
    }
  }

  // The job

  private static Map<String, Row> runJob(DataSet data, Path dir) {
    SparkSession spark = SparkTestSession.spark();
    List<String> sessionLines = new ArrayList<>();
    for (Session s : data.sessions) {
      sessionLines.add(String.join(",", s.id(), s.consultant(), s.customer(), LOCAL.format(s.start()), "",
          LOCAL.format(s.start().plusSeconds(5)), LOCAL.format(s.end()), "web", "", s.inbound() ? "customer"
              : "consultant", Boolean.toString(s.resolved()), "", "", ""));
    }
    TestProject project = TestProject.in(dir).sessions(sessionLines.toArray(new String[0]));
    String timestamps = "\ntimestamp_format = \"yyyy-MM-dd HH:mm:ss\"";
    List<String> messages = new ArrayList<>(List.of("session_id,sent_at,sender"));
    data.messages.forEach(m -> messages.add(m.session() + "," + LOCAL.format(m.sent()) + "," + m.sender()));
    project.source("messages", "format = csv\npath = \"" + project.file("messages.csv",
        messages.toArray(new String[0])) + "\"" + timestamps);
    List<String> audits = new ArrayList<>(List.of(
        "audit_id,session_id,audited_at,accuracy,compliance,professionalism,communication,critical_error"));
    data.audits.forEach(a -> audits.add(String.join(",", a.id(), a.session(), "2026-10-15 10:00:00",
        text(a.items()[0]), text(a.items()[1]), text(a.items()[2]), text(a.items()[3]),
        Boolean.toString(a.critical()))));
    project.source("qa_audits", "format = csv\npath = \"" + project.file("audits.csv",
        audits.toArray(new String[0])) + "\"" + timestamps);
    List<String> reviews = new ArrayList<>(List.of(
        "review_id,reviewee_id,reviewer_id,relation,reviewed_at,teamwork,professionalism,communication,growth"));
    for (int i = 0; i < data.reviews.size(); i++) {
      Review r = data.reviews.get(i);
      String reviewer = r.relation().equals("self") ? r.reviewee() : "R" + i;
      reviews.add(String.join(",", "r" + i, r.reviewee(), reviewer, r.relation(), r.day().toString(),
          text(r.items()[0]), text(r.items()[1]), text(r.items()[2]), text(r.items()[3])));
    }
    project.source("reviews", "format = csv\npath = \"" + project.file("reviews.csv",
        reviews.toArray(new String[0])) + "\"");
    List<String> outcomes = new ArrayList<>(List.of("outcome_id,outcome_type,amount,occurred_at,customer_id,session_id"));
    data.outcomes.forEach(o -> outcomes.add(String.join(",", o.id(), o.type(), o.amount().toPlainString(),
        LOCAL.format(o.occurred()), o.customer() == null ? "" : o.customer(), o.session() == null ? "" : o.session())));
    project.source("outcomes", "format = csv\npath = \"" + project.file("outcomes.csv",
        outcomes.toArray(new String[0])) + "\"" + timestamps);
    List<String> work = new ArrayList<>(List.of("consultant_id,work_date,logged_in_minutes"));
    work.addAll(data.workLines);
    project.source("work_time", "format = csv\npath = \"" + project.file("work_time.csv",
        work.toArray(new String[0])) + "\"");
    project.settings("quality.max_reject_rate = 1.0");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult input = Ingest.run(spark, config);
    RunContext run = RunContext.of("test-run", "month", LocalDate.of(2026, 9, 1), 0, LocalDate.of(2026, 12, 4), 7);
    Metrics.Inputs inputs = new Metrics.Inputs(input.sessions(), input.surveys(), input.messages(),
        input.qaAudits(), input.reviews(), input.outcomes(), input.workTime());
    Map<String, Row> rows = new HashMap<>();
    for (Row row : Metrics.run(inputs, config, run).consultantMetrics().collectAsList()) {
      rows.put(row.getAs("consultant_id"), row);
    }
    return rows;
  }

  private static String text(Double value) {
    return value == null ? "" : value.toString();
  }

  // The reference, from the definitions

  private static Map<String, Object> reference(DataSet data, String consultant) {
    List<Session> all = data.sessions;
    List<Session> mine = all.stream()
        .filter(s -> s.consultant().equals(consultant) && s.start().getMonthValue() == 9).toList();
    List<Session> inbound = mine.stream().filter(Session::inbound).toList();
    long outbound = mine.size() - inbound.size();
    long n = inbound.size();
    Map<String, Object> m = new HashMap<>();
    m.put("sessions_total", (long) mine.size());
    m.put("sessions", n);
    m.put("outbound_sessions", outbound);
    m.put("customers", inbound.stream().map(Session::customer).distinct().count());
    m.put("answered_rate", rate(n, n));
    // Every session is answered 5 seconds after it starts, within the default 60-second SLA.
    m.put("frt_median_s", n == 0 ? null : 5.0);
    m.put("frt_p90_s", n == 0 ? null : 5.0);
    m.put("sla_rate", rate(n, n));
    m.put("aht_median_s", percentile(inbound.stream().map(s -> (double) seconds(s.start(), s.end())).toList(), 0.5));
    m.put("resolution_rate", rate(inbound.stream().filter(Session::resolved).count(), n));
    m.put("transfer_rate", rate(0, n));

    long fcr = inbound.stream().filter(s -> s.resolved() && all.stream().noneMatch(o -> o.inbound()
        && o.customer().equals(s.customer()) && after(o.start(), s.end()))).count();
    m.put("fcr_rate", rate(fcr, n));
    long followed = inbound.stream().filter(s -> all.stream().anyMatch(o -> !o.inbound()
        && o.consultant().equals(consultant) && o.customer().equals(s.customer()) && after(o.start(), s.end()))).count();
    m.put("follow_up_rate", rate(followed, n));

    List<Double> replies = new ArrayList<>();
    inbound.forEach(s -> replies.addAll(replyTimes(data.messages, s.id())));
    m.put("reply_turns", (long) replies.size());
    m.put("reply_time_median_s", percentile(replies, 0.5));
    m.put("reply_time_p90_s", percentile(replies, 0.9));

    List<Audit> audits = data.audits.stream()
        .filter(a -> inbound.stream().anyMatch(s -> s.id().equals(a.session()))).toList();
    m.put("qa_audits", (long) audits.size());
    m.put("qa_score_mean", mean(audits.stream().map(a -> itemMean(a.items())).toList()));
    m.put("qa_accuracy_mean", mean(audits.stream().map(a -> a.items()[0]).filter(v -> v != null).toList()));
    m.put("critical_error_rate", rate(audits.stream().filter(Audit::critical).count(), audits.size()));

    referenceReviews(data, consultant, m);
    referenceOutcomes(data, mine, inbound, m);

    Map<LocalDate, Double> days = data.minutes.getOrDefault(consultant, Map.of());
    double minutes = days.entrySet().stream().filter(e -> e.getKey().getMonthValue() == 9)
        .mapToDouble(e -> Math.min(1440, e.getValue())).sum();
    double hours = minutes / 60;
    m.put("logged_in_hours", hours);
    m.put("sessions_per_hour", hours > 0 ? (n + outbound) / hours : null);
    double handle = mine.stream().mapToDouble(s -> seconds(s.start(), s.end())).sum();
    m.put("occupancy_rate", hours > 0 ? handle / (hours * 3600) : null);
    return m;
  }

  private static void referenceReviews(DataSet data, String consultant, Map<String, Object> m) {
    Map<String, Double> means = new HashMap<>();
    for (String relation : RELATIONS) {
      List<Double> scores = data.reviews.stream()
          .filter(r -> r.reviewee().equals(consultant) && r.relation().equals(relation) && r.day().getMonthValue() == 9)
          .map(r -> itemMean(r.items())).toList();
      Double mean = mean(scores);
      m.put("review_" + relation + "_mean", mean);
      m.put("review_" + relation + "_count", (long) scores.size());
      means.put(relation, mean);
    }
    double weighted = 0;
    double total = 0;
    for (Map.Entry<String, Double> weight : WEIGHTS.entrySet()) {
      Double mean = means.get(weight.getKey());
      if (mean != null) {
        weighted += weight.getValue() * mean;
        total += weight.getValue();
      }
    }
    Double review360 = total > 0 ? weighted / total : null;
    m.put("review_360_mean", review360);
    m.put("self_gap", means.get("self") == null || review360 == null ? null : means.get("self") - review360);
  }

  private static void referenceOutcomes(DataSet data, List<Session> mine, List<Session> inbound, Map<String, Object> m) {
    Map<String, String> owner = new HashMap<>();
    for (Outcome o : data.outcomes) {
      String session = o.session() != null ? o.session() : attribute(data.sessions, o);
      if (session != null) {
        owner.put(o.id(), session);
      }
    }
    BigDecimal revenue = BigDecimal.ZERO;
    long sales = 0;
    long refunds = 0;
    for (Outcome o : data.outcomes) {
      String session = owner.get(o.id());
      if (session == null || mine.stream().noneMatch(s -> s.id().equals(session))) {
        continue;
      }
      boolean refund = o.type().equals("refund");
      revenue = refund ? revenue.subtract(o.amount()) : revenue.add(o.amount());
      sales += refund ? 0 : 1;
      refunds += refund ? 1 : 0;
    }
    long converted = inbound.stream().filter(s -> data.outcomes.stream().anyMatch(o -> !o.type().equals("refund")
        && s.id().equals(owner.get(o.id())))).count();
    long n = inbound.size();
    m.put("revenue", revenue);
    m.put("conversion_rate", rate(converted, n));
    m.put("revenue_per_session", n > 0 ? revenue.doubleValue() / n : null);
    m.put("refund_rate", rate(refunds, sales));
  }

  /** Returns the latest inbound session of the customer with start <= t <= end + window. */
  private static String attribute(List<Session> sessions, Outcome outcome) {
    Session best = null;
    for (Session s : sessions) {
      boolean matches = s.inbound() && s.customer().equals(outcome.customer())
          && !s.start().isAfter(outcome.occurred()) && !outcome.occurred().isAfter(s.end().plusSeconds(WINDOW));
      if (matches && (best == null || s.start().isAfter(best.start()))) {
        best = s;
      }
    }
    return best == null ? null : best.id();
  }

  /** Reply times of the customer turns of one session, system messages ignored. */
  private static List<Double> replyTimes(List<Message> messages, String session) {
    List<Message> chat = messages.stream()
        .filter(msg -> msg.session().equals(session) && !msg.sender().equals("system"))
        .sorted((x, y) -> x.sent().equals(y.sent())
            ? Boolean.compare(x.sender().equals("consultant"), y.sender().equals("consultant"))
            : x.sent().compareTo(y.sent()))
        .toList();
    List<Double> replies = new ArrayList<>();
    LocalDateTime turnStart = null;
    for (Message msg : chat) {
      if (msg.sender().equals("customer") && turnStart == null) {
        turnStart = msg.sent();
      } else if (msg.sender().equals("consultant") && turnStart != null) {
        replies.add((double) seconds(turnStart, msg.sent()));
        turnStart = null;
      }
    }
    return replies;
  }

  private static boolean after(LocalDateTime candidate, LocalDateTime end) {
    return candidate.isAfter(end) && !candidate.isAfter(end.plusSeconds(WINDOW));
  }

  private static long seconds(LocalDateTime from, LocalDateTime to) {
    return java.time.Duration.between(from, to).getSeconds();
  }

  private static Double itemMean(Double[] items) {
    return mean(java.util.Arrays.stream(items).filter(v -> v != null).toList());
  }

  private static Double mean(List<Double> values) {
    return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
  }

  private static Double rate(long numerator, long denominator) {
    return denominator == 0 ? null : (double) numerator / denominator;
  }

  /** Returns the value at rank ceil(q * n) of the values in ascending order. */
  private static Double percentile(List<Double> values, double quantile) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(quantile * sorted.size());
    return sorted.get(Math.max(1, rank) - 1);
  }
}
