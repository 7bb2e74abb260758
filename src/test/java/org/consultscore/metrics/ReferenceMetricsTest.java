package org.consultscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
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
 * Differential test: on seeded random small data sets, every metric of consultant_metrics and
 * of the team and business line rows of group_metrics that the generated sources feed equals
 * a plain-Java value computed here from the catalogue's definitions. Some sessions of one
 * customer are nested in or overlap another, some start at the same instant, and gaps and
 * outcomes at exactly the 7-day windows and one second after them are planted on purpose.
 */
class ReferenceMetricsTest {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final long WINDOW = 7 * 86_400L;
  /** D is missing from the roster, so its sessions get team and business line unknown. */
  private static final String[] CONSULTANTS = {"A", "B", "C", "D"};
  private static final Map<String, String> TEAMS = Map.of("A", "T1", "B", "T1", "C", "T2");
  private static final Map<String, String> LINES = Map.of("A", "edu", "B", "fin", "C", "fin");
  private static final String UNKNOWN = "unknown";
  private static final int SATISFIED = 4;
  private static final String[] RELATIONS = {"self", "peer", "manager", "subordinate"};
  private static final Map<String, Double> WEIGHTS = Map.of("manager", 0.5, "peer", 0.3, "subordinate", 0.2);
  private static final double EPS = 1e-9;

  /** businessLine is the session's own value, null when the export leaves it empty. */
  private record Session(String id, String consultant, String customer, LocalDateTime start, LocalDateTime end,
      boolean inbound, boolean resolved, String businessLine) {}

  private record Survey(String id, String session, LocalDateTime submitted, Integer csat, Integer nps) {}

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
    final List<Survey> surveys = new ArrayList<>();
    final Map<String, Integer> sessionsOfConsultant = new HashMap<>();
    final Map<String, Map<LocalDate, Double>> minutes = new HashMap<>();
    final List<String> workLines = new ArrayList<>();
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 29, 47})
  void metricsMatchReference(long seed, @TempDir Path dir) {
    DataSet data = generate(new Random(seed));
    assertHardCasesPresent(data, "seed " + seed);
    Metrics.Result result = runJob(data, dir);
    assertConsultantMetrics(data, result, "seed " + seed);
    assertGroupMetrics(data, result, "seed " + seed);
  }

  /** Checks that the generated data contains the cases the reference exists to compare. */
  private static void assertHardCasesPresent(DataSet data, String context) {
    boolean nested = false;
    for (Session outer : data.sessions) {
      for (Session inner : data.sessions) {
        nested |= outer != inner && outer.inbound() && inner.inbound() && outer.customer().equals(inner.customer())
            && !inner.start().isBefore(outer.start()) && inner.end().isBefore(outer.end());
      }
    }
    assertTrue(nested, context + ": an inbound session nested in another of the same customer");

    long toEnclosing = data.outcomes.stream().filter(o -> o.session() == null).filter(o -> {
      Session owner = sessionById(data, attribute(data.sessions, o));
      return owner != null && data.sessions.stream().anyMatch(later -> later.inbound()
          && later.customer().equals(o.customer()) && later.start().isAfter(owner.start())
          && !later.start().isAfter(o.occurred()) && later.end().plusSeconds(WINDOW).isBefore(o.occurred()));
    }).count();
    assertTrue(toEnclosing > 0, context + ": an outcome that goes to an enclosing session after a later-started "
        + "session's window has passed");

    long countedFirst = data.surveys.stream().filter(v -> v.id().endsWith("-v2")).filter(second -> data.surveys
        .stream().anyMatch(first -> first.session().equals(second.session()) && first.id().endsWith("-v1")
            && first.submitted().isAfter(second.submitted()))).count();
    assertTrue(countedFirst > 0, context + ": a session whose counted survey comes first in the file");
  }

  private static Session sessionById(DataSet data, String id) {
    return data.sessions.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
  }

  private static void assertConsultantMetrics(DataSet data, Metrics.Result result, String context) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : result.consultantMetrics().collectAsList()) {
      rows.put(row.getAs("consultant_id"), row);
    }

    for (String consultant : CONSULTANTS) {
      Map<String, Object> expected = reference(data, s -> s.consultant().equals(consultant), Set.of(consultant));
      Row row = rows.get(consultant);
      if (row == null) {
        assertEquals(0L, expected.get("sessions_total"), context + ": no row for " + consultant);
        continue;
      }
      assertMetrics(expected, row, context + " " + consultant);
    }
  }

  private static void assertGroupMetrics(DataSet data, Metrics.Result result, String context) {
    Map<String, Row> rows = new HashMap<>();
    for (Row row : result.groupMetrics().collectAsList()) {
      rows.put(row.<String>getAs("group_type") + ":" + row.<String>getAs("group_id"), row);
    }

    Map<String, Map<String, Object>> expected = referenceGroups(data);
    assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(rows.keySet()), context + ": groups");
    for (Map.Entry<String, Map<String, Object>> group : expected.entrySet()) {
      assertMetrics(group.getValue(), rows.get(group.getKey()), context + " " + group.getKey());
    }
  }

  private static void assertMetrics(Map<String, Object> expected, Row row, String context) {
    for (Map.Entry<String, Object> metric : new TreeMap<>(expected).entrySet()) {
      if (metric.getKey().equals("sessions_total")) {
        continue;
      }
      assertMetric(metric.getValue(), row.getAs(metric.getKey()), context + " " + metric.getKey());
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
    for (int c = 1; c <= 4; c++) {
      String customer = "U" + c;
      LocalDateTime start = LocalDateTime.of(2026, 9, 1, 8, 0).plusMinutes(random.nextInt(3 * 1440));
      while (start.getMonthValue() == 9) {
        LocalDateTime end = start.plusMinutes(1 + random.nextInt(90)).plusSeconds(random.nextInt(60));
        Session session = addSession(data, random, customer, start, end, random.nextDouble() < 0.75);
        LocalDateTime next = end;
        if (random.nextDouble() < 0.4) {
          Session companion = addCompanion(data, random, session);
          // The next session follows the end of either one, so the planted gaps also meet
          // the session that ends first.
          next = random.nextBoolean() ? companion.end() : end;
        }
        start = next.plusSeconds(nextGap(random));
      }
    }
    addReviews(data, random);
    addWorkTime(data, random);
    return data;
  }

  /**
   * Adds a session with its messages, audits, outcome and surveys. Every third session of a
   * consultant names business line legal itself, so legal stays a strict minority of each
   * consultant's sessions and the consultant's most frequent business line is unique.
   */
  private static Session addSession(DataSet data, Random random, String customer, LocalDateTime start,
      LocalDateTime end, boolean inbound) {
    String consultant = CONSULTANTS[random.nextInt(CONSULTANTS.length)];
    int index = data.sessionsOfConsultant.merge(consultant, 1, Integer::sum);
    String line = index % 3 == 0 ? "legal" : null;
    Session session = new Session("s" + (data.sessions.size() + 1), consultant, customer, start, end, inbound,
        random.nextDouble() < 0.6, line);
    data.sessions.add(session);
    addMessages(data, session, random);
    addAudits(data, session, random);
    addOutcome(data, session, random);
    addSurveys(data, session, random);
    return session;
  }

  /**
   * Adds a second session of the same customer that starts inside {@code outer}, sometimes at
   * the same instant: nested when it ends before {@code outer}, else overlapping. For each
   * inbound one of the two, outcomes of the customer are planted at ended_at + 7 days and one
   * second later, where the latest matching session changes.
   */
  private static Session addCompanion(DataSet data, Random random, Session outer) {
    long length = seconds(outer.start(), outer.end());
    LocalDateTime start = random.nextDouble() < 0.2 ? outer.start()
        : outer.start().plusSeconds(random.nextInt((int) length));
    if (start.getMonthValue() != 9) {
      start = outer.start();
    }
    long room = seconds(start, outer.end());
    LocalDateTime end = random.nextDouble() < 0.6 && room > 60
        ? start.plusSeconds(60 + random.nextInt((int) (room - 60) + 1))
        : outer.end().plusSeconds(1 + random.nextInt(2 * 3600));
    Session companion = addSession(data, random, outer.customer(), start, end, random.nextDouble() < 0.85);
    for (Session session : List.of(outer, companion)) {
      if (!session.inbound()) {
        continue;
      }
      for (long after : new long[] {WINDOW, WINDOW + 1}) {
        data.outcomes.add(new Outcome("o-" + session.id() + "-" + after, "purchase",
            BigDecimal.valueOf(100 + random.nextInt(10_000), 2), session.end().plusSeconds(after),
            session.customer(), null));
      }
    }
    return companion;
  }

  /**
   * Adds up to two surveys of a session. When there are two, either may be the later one, and
   * the counted (later) one may lack the csat or nps that the other has.
   */
  private static void addSurveys(DataSet data, Session session, Random random) {
    if (random.nextDouble() < 0.4) {
      return;
    }
    LocalDateTime submitted = session.start().plusMinutes(600 + random.nextInt(3 * 1440));
    data.surveys.add(survey(session.id() + "-v1", session.id(), submitted, random));
    if (random.nextDouble() < 0.3) {
      long shift = (1 + random.nextInt(600)) * (random.nextBoolean() ? 60L : -60L);
      data.surveys.add(survey(session.id() + "-v2", session.id(), submitted.plusSeconds(shift), random));
    }
  }

  private static Survey survey(String id, String session, LocalDateTime submitted, Random random) {
    Integer csat = random.nextDouble() < 0.2 ? null : 1 + random.nextInt(5);
    Integer nps = random.nextDouble() < 0.25 ? null : random.nextInt(11);
    if (csat == null && nps == null) {
      csat = 3;
    }
    return new Survey(id, session, submitted, csat, nps);
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

  private static Metrics.Result runJob(DataSet data, Path dir) {
    SparkSession spark = SparkTestSession.spark();
    List<String> sessionLines = new ArrayList<>();
    for (Session s : data.sessions) {
      sessionLines.add(String.join(",", s.id(), s.consultant(), s.customer(), LOCAL.format(s.start()), "",
          LOCAL.format(s.start().plusSeconds(5)), LOCAL.format(s.end()), "web",
          s.businessLine() == null ? "" : s.businessLine(), s.inbound() ? "customer" : "consultant",
          Boolean.toString(s.resolved()), "", "", ""));
    }
    TestProject project = TestProject.in(dir).sessions(sessionLines.toArray(new String[0]));
    String timestamps = "\ntimestamp_format = \"yyyy-MM-dd HH:mm:ss\"";
    List<String> roster = new ArrayList<>(List.of("consultant_id,display_name,team_id,business_line,level"));
    TEAMS.keySet().stream().sorted().forEach(c -> roster.add(String.join(",", c, "Name " + c, TEAMS.get(c),
        LINES.get(c), "senior")));
    project.source("consultants", "format = csv\npath = \"" + project.file("consultants.csv",
        roster.toArray(new String[0])) + "\"");
    List<String> surveys = new ArrayList<>(List.of("survey_id,session_id,submitted_at,csat,nps"));
    data.surveys.forEach(v -> surveys.add(String.join(",", v.id(), v.session(), LOCAL.format(v.submitted()),
        v.csat() == null ? "" : v.csat().toString(), v.nps() == null ? "" : v.nps().toString())));
    project.source("surveys", "format = csv\npath = \"" + project.file("surveys.csv",
        surveys.toArray(new String[0])) + "\"" + timestamps);
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
    return Metrics.run(inputs, config, run);
  }

  private static String text(Double value) {
    return value == null ? "" : value.toString();
  }

  // The reference, from the definitions

  /**
   * Computes the expected group_metrics rows by "group_type:group_id". A session goes to its
   * consultant's team and to its own business line, else the roster's. A consultant missing
   * from the roster goes to unknown for both. Reviews and work time go to the team and the most
   * frequent business line of the consultant's sessions of the period.
   */
  private static Map<String, Map<String, Object>> referenceGroups(DataSet data) {
    List<Session> period = data.sessions.stream().filter(s -> s.start().getMonthValue() == 9).toList();
    Map<String, String> rowLine = new HashMap<>();
    for (String consultant : CONSULTANTS) {
      Map<String, Long> counts = new HashMap<>();
      period.stream().filter(s -> s.consultant().equals(consultant)).forEach(s -> counts.merge(line(s), 1L, Long::sum));
      long top = counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
      List<String> modes = counts.entrySet().stream().filter(e -> e.getValue() == top).map(Map.Entry::getKey).toList();
      if (!modes.isEmpty()) {
        assertEquals(1, modes.size(), "generated data keeps one most frequent business line of " + consultant);
        rowLine.put(consultant, modes.get(0));
      }
    }

    Map<String, Map<String, Object>> groups = new HashMap<>();
    for (String team : period.stream().map(ReferenceMetricsTest::team).distinct().toList()) {
      Set<String> people = new TreeSet<>(rowLine.keySet());
      people.removeIf(consultant -> !teamOf(consultant).equals(team));
      groups.put("team:" + team, reference(data, s -> team(s).equals(team), people));
    }
    for (String line : period.stream().map(ReferenceMetricsTest::line).distinct().toList()) {
      Set<String> people = new TreeSet<>(rowLine.keySet());
      people.removeIf(consultant -> !rowLine.get(consultant).equals(line));
      groups.put("business_line:" + line, reference(data, s -> line(s).equals(line), people));
    }
    return groups;
  }

  private static String teamOf(String consultant) {
    return TEAMS.getOrDefault(consultant, UNKNOWN);
  }

  private static String team(Session session) {
    return teamOf(session.consultant());
  }

  private static String line(Session session) {
    if (!LINES.containsKey(session.consultant())) {
      return UNKNOWN;
    }
    return session.businessLine() != null ? session.businessLine() : LINES.get(session.consultant());
  }

  /**
   * Computes the expected metrics over the sessions of September that {@code member} accepts,
   * with the reviews and work time of {@code people}.
   */
  private static Map<String, Object> reference(DataSet data, Predicate<Session> member, Set<String> people) {
    List<Session> all = data.sessions;
    List<Session> mine = all.stream()
        .filter(s -> member.test(s) && s.start().getMonthValue() == 9).toList();
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
        && o.consultant().equals(s.consultant()) && o.customer().equals(s.customer()) && after(o.start(), s.end())))
        .count();
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

    referenceSurveys(data, inbound, m);
    referenceReviews(data, people, m);
    referenceOutcomes(data, mine, inbound, m);

    double minutes = 0;
    for (String person : people) {
      minutes += data.minutes.getOrDefault(person, Map.of()).entrySet().stream()
          .filter(e -> e.getKey().getMonthValue() == 9)
          .mapToDouble(e -> Math.min(1440, e.getValue())).sum();
    }
    double hours = minutes / 60;
    m.put("logged_in_hours", hours);
    m.put("sessions_per_hour", hours > 0 ? (n + outbound) / hours : null);
    double handle = mine.stream().mapToDouble(s -> seconds(s.start(), s.end())).sum();
    m.put("occupancy_rate", hours > 0 ? handle / (hours * 3600) : null);
    return m;
  }

  /** Adds the survey metrics over the counted survey (latest submitted_at) of each session of S. */
  private static void referenceSurveys(DataSet data, List<Session> inbound, Map<String, Object> m) {
    List<Integer> csat = new ArrayList<>();
    List<Integer> nps = new ArrayList<>();
    for (Session session : inbound) {
      Survey counted = null;
      for (Survey survey : data.surveys) {
        if (survey.session().equals(session.id())
            && (counted == null || survey.submitted().isAfter(counted.submitted()))) {
          counted = survey;
        }
      }
      if (counted != null && counted.csat() != null) {
        csat.add(counted.csat());
      }
      if (counted != null && counted.nps() != null) {
        nps.add(counted.nps());
      }
    }
    long promoters = nps.stream().filter(v -> v >= 9).count();
    long detractors = nps.stream().filter(v -> v <= 6).count();
    m.put("surveys", (long) csat.size());
    m.put("survey_response_rate", rate(csat.size(), inbound.size()));
    m.put("csat_mean", mean(csat.stream().map(Integer::doubleValue).toList()));
    m.put("csat_satisfied_rate", rate(csat.stream().filter(v -> v >= SATISFIED).count(), csat.size()));
    m.put("nps_responses", (long) nps.size());
    m.put("nps", nps.isEmpty() ? null : 100.0 * (promoters - detractors) / nps.size());
  }

  private static void referenceReviews(DataSet data, Set<String> people, Map<String, Object> m) {
    Map<String, Double> means = new HashMap<>();
    for (String relation : RELATIONS) {
      List<Double> scores = data.reviews.stream()
          .filter(r -> people.contains(r.reviewee()) && r.relation().equals(relation) && r.day().getMonthValue() == 9)
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

  /**
   * Returns the latest inbound session of the customer with start <= t <= end + window. Of
   * two with the same start it returns the one with the greater session_id.
   */
  private static String attribute(List<Session> sessions, Outcome outcome) {
    Session best = null;
    for (Session s : sessions) {
      boolean matches = s.inbound() && s.customer().equals(outcome.customer())
          && !s.start().isAfter(outcome.occurred()) && !outcome.occurred().isAfter(s.end().plusSeconds(WINDOW));
      boolean later = best == null || s.start().isAfter(best.start())
          || s.start().equals(best.start()) && s.id().compareTo(best.id()) > 0;
      if (matches && later) {
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
