package org.consultscore.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes the optional activity sources of data-samples/ for the sessions of
 * {@link SampleDataGenerator}: chat messages (CSV), QA audits (JSON Lines), 360-degree reviews
 * (CSV), outcomes (JSON Lines, some with a session_id and some with only the customer) and
 * logged-in time per working day (CSV), each with a few bad rows of every kind its rules
 * reject. It draws from its own random generator, so the sessions and surveys stay the same.
 *
 * <p>Every source depends on the consultant's planted profile (see {@link Activity}), so the
 * quality, business, efficiency and collaboration dimensions carry the profile as well.
 */
final class ActivityDataGenerator {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String[] RELATIONS_OF_OTHERS = {"peer", "peer", "manager"};

  /**
   * Planted activity of a profile. QA items are on 0-100 and review items on 1-5. The outcome
   * share is per inbound session and the refund share per outcome. Occupancy is handling time
   * over logged-in time, so sessions per logged-in hour follow from it and the handling time.
   */
  record Activity(double qaLevel, double criticalErrorShare, double reviewLevel, double outcomeShare,
      double refundShare, double meanAmount, double occupancy) {

    static Activity of(SampleDataGenerator.Profile profile) {
      return switch (profile) {
        case STAR -> new Activity(90, 0.02, 4.5, 0.20, 0.03, 600, 0.45);
        case FAST_UNSATISFYING -> new Activity(72, 0.10, 3.4, 0.06, 0.25, 300, 0.45);
        case SLOW_THOROUGH -> new Activity(94, 0.02, 4.1, 0.11, 0.06, 420, 0.24);
        case AVERAGE -> new Activity(80, 0.06, 3.7, 0.09, 0.08, 400, 0.32);
        case STRUGGLING -> new Activity(64, 0.18, 2.9, 0.05, 0.18, 300, 0.22);
      };
    }
  }

  private final Random random;
  private final LocalDate firstDay;
  private final int months;

  ActivityDataGenerator(long seed, LocalDate firstDay, int months) {
    this.random = new Random(seed);
    this.firstDay = firstDay;
    this.months = months;
  }

  /** Writes the five files; {@code sessions} are the valid session rows of the generator. */
  void write(Path directory, List<SampleDataGenerator.Consultant> consultants, List<String[]> sessions)
      throws IOException {
    Files.write(directory.resolve("messages.csv"), messages(sessions), StandardCharsets.UTF_8);
    Files.write(directory.resolve("qa_audits.jsonl"), audits(sessions), StandardCharsets.UTF_8);
    Files.write(directory.resolve("reviews.csv"), reviews(consultants), StandardCharsets.UTF_8);
    Files.write(directory.resolve("outcomes.jsonl"), outcomes(sessions), StandardCharsets.UTF_8);
    Files.write(directory.resolve("work_time.csv"), workTime(consultants, sessions), StandardCharsets.UTF_8);
  }

  /** Chats of about one inbound session in seven: customer turns and consultant replies. */
  private List<String> messages(List<String[]> sessions) {
    List<String> lines = new ArrayList<>(List.of("session_id,sent_at,sender"));
    for (String[] session : sessions) {
      if (!session[9].equals("customer") || random.nextDouble() > 0.15) {
        continue;
      }
      SampleDataGenerator.Profile profile = SampleDataGenerator.Profile.valueOf(session[14]);
      LocalDateTime ended = time(session[6]);
      LocalDateTime sent = time(session[3]);
      lines.add(message(session[0], sent, "system"));
      int turns = 2 + random.nextInt(3);
      for (int turn = 0; turn < turns && sent.isBefore(ended); turn++) {
        for (int i = 0; i <= random.nextInt(2); i++) {
          lines.add(message(session[0], sent, "customer"));
          sent = sent.plusSeconds(3 + random.nextInt(15));
        }
        sent = sent.plusSeconds(Math.round(exponential(profile.frtMeanSeconds / 2 + 5)));
        if (sent.isAfter(ended)) {
          break;
        }
        lines.add(message(session[0], sent, "consultant"));
        sent = sent.plusSeconds(20 + random.nextInt(90));
      }
    }
    String[] session = sessions.get(5);
    lines.add(message("S999999", time(session[3]), "customer"));                      // orphan
    lines.add(message(session[0], time(session[6]).plusMinutes(5), "consultant"));    // message_outside_session
    lines.add(message(session[0], time(session[3]), "robot"));                        // bad_enum
    return lines;
  }

  /** Audits of about one session in seven, with items around the profile's QA level. */
  private List<String> audits(List<String[]> sessions) {
    List<String> lines = new ArrayList<>();
    int sequence = 0;
    for (String[] session : sessions) {
      if (random.nextDouble() > 0.15) {
        continue;
      }
      Activity activity = Activity.of(SampleDataGenerator.Profile.valueOf(session[14]));
      double level = activity.qaLevel();
      boolean critical = random.nextDouble() < activity.criticalErrorShare();
      lines.add(audit(String.format(Locale.ROOT, "Q%05d", ++sequence), session[0], time(session[6]).plusDays(2),
          item(level), item(level), random.nextDouble() < 0.2 ? null : item(level), item(level), critical));
    }
    String[] session = sessions.get(9);
    LocalDateTime audited = time(session[6]).plusDays(1);
    lines.add(audit("Q90001", "S999999", audited, 80.0, 80.0, 80.0, 80.0, false));     // orphan
    lines.add(audit("Q90002", session[0], audited, 120.0, 80.0, 80.0, 80.0, false));   // out_of_range
    lines.add(audit("Q90003", session[0], audited, null, null, null, null, false));    // empty_audit
    return lines;
  }

  /** Per consultant and month: a self review, two peer reviews, a manager review and, for seniors, a subordinate one. */
  private List<String> reviews(List<SampleDataGenerator.Consultant> consultants) {
    List<String> lines = new ArrayList<>(List.of(
        "review_id,reviewee_id,reviewer_id,relation,reviewed_at,teamwork,professionalism,communication,growth"));
    int sequence = 0;
    for (int month = 0; month < months; month++) {
      LocalDate day = firstDay.plusMonths(month).plusDays(24);
      for (SampleDataGenerator.Consultant consultant : consultants) {
        double level = Activity.of(consultant.profile()).reviewLevel();
        lines.add(review(++sequence, consultant.id(), consultant.id(), "self", day, Math.min(5, level + 0.5)));
        for (String relation : RELATIONS_OF_OTHERS) {
          String reviewer = relation.equals("manager") ? "M-" + consultant.team()
              : consultants.get(random.nextInt(consultants.size())).id();
          if (reviewer.equals(consultant.id())) {
            continue;
          }
          lines.add(review(++sequence, consultant.id(), reviewer, relation, day, level));
        }
        if (consultant.level().equals("senior")) {
          lines.add(review(++sequence, consultant.id(), "J-" + consultant.id(), "subordinate", day, level));
        }
      }
    }
    String id = consultants.get(0).id();
    LocalDate day = firstDay.plusDays(24);
    lines.add("R90001," + id + ",C002,boss," + day + ",4,4,4,4");       // bad_enum
    lines.add("R90002," + id + ",C002,peer," + day + ",7,4,4,4");       // out_of_range
    lines.add("R90003," + id + "," + id + ",peer," + day + ",4,4,4,4"); // relation_mismatch
    return lines;
  }

  /**
   * Outcomes of the profile's share of inbound sessions: most with the session_id, the others
   * with only the customer and a time within the attribution window. The profile also sets the
   * refund share and the mean amount, and amounts are uniform within 50% of that mean.
   */
  private List<String> outcomes(List<String[]> sessions) {
    List<String> lines = new ArrayList<>();
    int sequence = 0;
    for (String[] session : sessions) {
      Activity activity = Activity.of(SampleDataGenerator.Profile.valueOf(session[14]));
      if (!session[9].equals("customer") || random.nextDouble() > activity.outcomeShare()) {
        continue;
      }
      String type = random.nextDouble() < activity.refundShare() ? "refund"
          : random.nextDouble() < 0.3 ? "renewal" : "purchase";
      String amount = String.format(Locale.ROOT, "%.2f", activity.meanAmount() * (0.5 + random.nextDouble()));
      boolean bySession = random.nextDouble() < 0.6;
      LocalDateTime occurred = time(session[6]).plusMinutes(bySession ? 5 : 60 + random.nextInt(60 * 24 * 3));
      lines.add(outcome(String.format(Locale.ROOT, "O%05d", ++sequence), type, amount, occurred,
          bySession ? null : session[2], bySession ? session[0] : null));
    }
    LocalDateTime occurred = time(sessions.get(11)[6]);
    lines.add(outcome("O90001", "gift", "10.00", occurred, "U00001", null));        // bad_enum
    lines.add(outcome("O90002", "purchase", "-10.00", occurred, "U00001", null));   // out_of_range
    lines.add(outcome("O90003", "purchase", "10.00", occurred, null, null));        // missing_required
    lines.add(outcome("O90004", "purchase", "10.00", occurred, "U99999", null));    // unattributed (kept, counted)
    return lines;
  }

  /**
   * Logged-in minutes per consultant and working day. A month's logged-in time is the sum of
   * ended_at - started_at of the consultant's sessions divided by the profile's occupancy. It is
   * spread evenly over the working days with about 10% noise and capped at 1200 minutes a day.
   */
  private List<String> workTime(List<SampleDataGenerator.Consultant> consultants, List<String[]> sessions) {
    Map<String, Double> handlingSeconds = new HashMap<>();
    for (String[] session : sessions) {
      LocalDateTime started = time(session[3]);
      String key = session[1] + "/" + YearMonth.from(started);
      handlingSeconds.merge(key, (double) Duration.between(started, time(session[6])).getSeconds(), Double::sum);
    }
    List<String> lines = new ArrayList<>(List.of("consultant_id,work_date,logged_in_minutes"));
    for (int month = 0; month < months; month++) {
      LocalDate start = firstDay.plusMonths(month);
      List<LocalDate> workingDays = start.datesUntil(start.plusMonths(1))
          .filter(day -> day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY)
          .toList();
      for (LocalDate day : workingDays) {
        for (SampleDataGenerator.Consultant consultant : consultants) {
          double seconds = handlingSeconds.getOrDefault(consultant.id() + "/" + YearMonth.from(start), 0.0);
          double loggedIn = seconds / 60 / Activity.of(consultant.profile()).occupancy() / workingDays.size();
          double minutes = Math.min(1200, loggedIn * (1 + random.nextGaussian() * 0.1));
          lines.add(consultant.id() + "," + day + "," + String.format(Locale.ROOT, "%.1f", minutes));
        }
      }
    }
    String id = consultants.get(0).id();
    lines.add(id + "," + firstDay.plusDays(1) + ",1400.0");    // a second row of the day: summed and capped at 1440
    lines.add(id + "," + firstDay.plusDays(2) + ",1500.0");    // out_of_range
    return lines;
  }

  private static String message(String sessionId, LocalDateTime sent, String sender) {
    return sessionId + "," + LOCAL.format(sent) + "," + sender;
  }

  private static String audit(String id, String sessionId, LocalDateTime audited, Double accuracy, Double compliance,
      Double professionalism, Double communication, boolean critical) {
    return "{\"audit_id\":\"" + id + "\",\"session_id\":\"" + sessionId + "\",\"auditor_id\":\"QA1\","
        + "\"audited_at\":\"" + LOCAL.format(audited) + "\",\"accuracy\":" + accuracy + ",\"compliance\":"
        + compliance + ",\"professionalism\":" + professionalism + ",\"communication\":" + communication
        + ",\"critical_error\":" + critical + "}";
  }

  private String review(int sequence, String reviewee, String reviewer, String relation, LocalDate day,
      double level) {
    return String.join(",", String.format(Locale.ROOT, "R%05d", sequence), reviewee, reviewer, relation,
        day.toString(), score(level), score(level), score(level), random.nextDouble() < 0.2 ? "" : score(level));
  }

  private static String outcome(String id, String type, String amount, LocalDateTime occurred, String customer,
      String sessionId) {
    return "{\"outcome_id\":\"" + id + "\",\"outcome_type\":\"" + type + "\",\"amount\":" + amount
        + ",\"occurred_at\":\"" + LOCAL.format(occurred) + "\",\"customer_id\":" + quoted(customer)
        + ",\"session_id\":" + quoted(sessionId) + "}";
  }

  private static String quoted(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  private double item(double level) {
    return Math.round(Math.max(0, Math.min(100, level + random.nextGaussian() * 8)));
  }

  private String score(double level) {
    return Long.toString(Math.round(Math.max(1, Math.min(5, level + random.nextGaussian() * 0.6))));
  }

  private double exponential(double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  private static LocalDateTime time(String local) {
    return LocalDateTime.parse(local, LOCAL);
  }
}
