package org.consultscore.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the small synthetic data set of data-samples/: a roster (CSV in GBK, with Chinese
 * names), sessions (CSV in UTF-8 with a BOM, local times), surveys (JSON Lines, times with
 * an offset) and the activity sources of {@link ActivityDataGenerator}, plus a handful of
 * deliberately bad rows of each kind. The same seed always writes the same files.
 *
 * <p>Each consultant is given a planted profile that drives their behaviour, recorded in
 * planted_profiles.csv so tests can check that the segments find them.
 */
public final class SampleDataGenerator {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  static final String[] CHANNELS = {"web", "app", "wechat", "phone", "email"};
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter OFFSET = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final Charset GBK = Charset.forName("GBK");

  /** Planted behaviour of a consultant. */
  enum Profile {
    STAR(25, 0.92, 4.6, 0.03),
    FAST_UNSATISFYING(15, 0.65, 3.0, 0.15),
    SLOW_THOROUGH(140, 0.90, 4.4, 0.04),
    AVERAGE(50, 0.78, 3.9, 0.08),
    STRUGGLING(120, 0.55, 3.1, 0.20);

    final double frtMeanSeconds;
    final double resolveProbability;
    final double csatMean;
    final double transferProbability;

    Profile(double frtMeanSeconds, double resolveProbability, double csatMean, double transferProbability) {
      this.frtMeanSeconds = frtMeanSeconds;
      this.resolveProbability = resolveProbability;
      this.csatMean = csatMean;
      this.transferProbability = transferProbability;
    }
  }

  record Consultant(String id, String name, String team, String businessLine, String level, LocalDate hiredAt,
      Profile profile, int sessionsPerMonth) {}

  private final long seed;
  private final Random random;
  private final LocalDate firstDay;
  private final int months;
  private final int consultantCount;

  public SampleDataGenerator(long seed, LocalDate firstDay, int months, int consultantCount) {
    this.seed = seed;
    this.random = new Random(seed);
    this.firstDay = firstDay;
    this.months = months;
    this.consultantCount = consultantCount;
  }

  /** Writes the files into {@code directory} and returns the number of session rows. */
  public int write(Path directory) throws IOException {
    Files.createDirectories(directory);
    List<Consultant> consultants = consultants();
    writeRoster(directory.resolve("consultants.csv"), consultants);
    writeProfiles(directory.resolve("planted_profiles.csv"), consultants);
    List<String[]> sessions = sessions(consultants);
    List<String> surveys = surveys(sessions);
    new ActivityDataGenerator(seed + 1, firstDay, months).write(directory, consultants, List.copyOf(sessions));
    addBadSessions(sessions);
    addBadSurveys(surveys, sessions);
    writeSessions(directory.resolve("sessions.csv"), sessions);
    Files.write(directory.resolve("surveys.jsonl"), surveys, StandardCharsets.UTF_8);
    return sessions.size();
  }

  private List<Consultant> consultants() {
    String[] family = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
    String[] given = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "杰", "婷", "强", "军"};
    String[][] teams = {{"T1", "education"}, {"T2", "education"}, {"T3", "finance"}};
    Profile[] profiles = Profile.values();
    List<Consultant> list = new ArrayList<>();
    for (int i = 1; i <= consultantCount; i++) {
      String[] team = teams[(i - 1) % teams.length];
      Profile profile = profiles[(i - 1) % profiles.length];
      // Every eighth consultant works part time and stays below min_sessions.
      int perMonth = i % 8 == 0 ? 12 + random.nextInt(10) : 45 + random.nextInt(30);
      String name = family[random.nextInt(family.length)] + given[random.nextInt(given.length)];
      String level = i % 3 == 0 ? "senior" : "junior";
      list.add(new Consultant(String.format(Locale.ROOT, "C%03d", i), name, team[0], team[1], level,
          firstDay.minusDays(100 + random.nextInt(900)), profile, perMonth));
    }
    return list;
  }

  private List<String[]> sessions(List<Consultant> consultants) {
    List<String[]> rows = new ArrayList<>();
    int sequence = 0;
    int customers = consultantCount * 40;
    for (int month = 0; month < months; month++) {
      LocalDate monthStart = firstDay.plusMonths(month);
      int days = monthStart.lengthOfMonth();
      for (Consultant consultant : consultants) {
        for (int s = 0; s < consultant.sessionsPerMonth(); s++) {
          LocalDateTime started = monthStart.plusDays(random.nextInt(days)).atTime(8 + random.nextInt(13),
              random.nextInt(60), random.nextInt(60));
          String customer = String.format(Locale.ROOT, "U%05d", random.nextInt(customers));
          rows.add(session(String.format(Locale.ROOT, "S%06d", ++sequence), consultant, customer, started));
        }
      }
    }
    return rows;
  }

  private String[] session(String id, Consultant consultant, String customer, LocalDateTime started) {
    Profile profile = consultant.profile();
    String channel = CHANNELS[random.nextInt(CHANNELS.length)];
    boolean outbound = random.nextDouble() < 0.05;
    LocalDateTime assigned = null;
    if (!outbound && (channel.equals("web") || channel.equals("app")) && random.nextDouble() < 0.3) {
      assigned = started.plusSeconds(20 + random.nextInt(120));
    }
    LocalDateTime base = assigned == null ? started : assigned;
    double scale = channel.equals("email") ? 60 : 1;
    long frt = Math.round(exponential(profile.frtMeanSeconds) * scale);
    boolean answered = outbound || random.nextDouble() < 0.96;
    LocalDateTime firstResponse = answered ? base.plusSeconds(outbound ? 0 : frt) : null;
    long handle = 120 + Math.round(exponential(profile == Profile.SLOW_THOROUGH ? 900 : 480));
    LocalDateTime ended = (firstResponse == null ? base : firstResponse).plusSeconds(handle);
    boolean resolved = answered && random.nextDouble() < profile.resolveProbability;
    boolean transferred = answered && random.nextDouble() < profile.transferProbability;
    int customerMessages = 1 + random.nextInt(12);
    int consultantMessages = answered ? 1 + random.nextInt(12) : 0;
    return new String[] {id, consultant.id(), customer, LOCAL.format(started), format(assigned),
        format(firstResponse), LOCAL.format(ended), channel, "", outbound ? "consultant" : "customer",
        Boolean.toString(resolved), Boolean.toString(transferred), Integer.toString(customerMessages),
        Integer.toString(consultantMessages), consultant.profile().name()};
  }

  private List<String> surveys(List<String[]> sessions) {
    List<String> lines = new ArrayList<>();
    int sequence = 0;
    for (String[] session : sessions) {
      boolean answered = !session[5].isEmpty();
      if (!answered || !session[9].equals("customer") || random.nextDouble() > 0.35) {
        continue;
      }
      Profile profile = Profile.valueOf(session[14]);
      int csat = clamp((int) Math.round(profile.csatMean + random.nextGaussian() * 0.8), 1, 5);
      Integer nps = random.nextDouble() < 0.8 ? clamp((int) Math.round(csat * 2 - 1 + random.nextGaussian() * 1.5), 0, 10) : null;
      LocalDateTime ended = LocalDateTime.parse(session[6], LOCAL);
      LocalDateTime submitted = ended.plusMinutes(1 + random.nextInt(60 * 24 * 3));
      lines.add(surveyJson(String.format(Locale.ROOT, "V%06d", ++sequence), session[0], submitted, csat, nps,
          random.nextDouble() < 0.2 ? "谢谢，解答很清楚" : null));
    }
    return lines;
  }

  /** Adds one bad row of each kind the sessions rules reject, plus duplicates and an unknown consultant. */
  private void addBadSessions(List<String[]> rows) {
    String[] template = rows.get(7);
    rows.add(copy(template, "S900001", row -> row[1] = ""));                            // missing_required
    rows.add(copy(template, "S900002", row -> row[3] = "2026-13-45 99:00:00"));        // bad_timestamp
    rows.add(copy(template, "S900003", row -> row[3] = "1970-01-01 08:00:00"));        // bad_timestamp (implausible year)
    rows.add(copy(template, "S900004", row -> row[6] = "2026-09-01 00:00:01"));        // negative_duration
    rows.add(copy(template, "S900005", row -> {                                         // response_before_start
      row[4] = "";
      row[5] = LOCAL.format(LocalDateTime.parse(row[3], LOCAL).minusMinutes(5));
    }));
    rows.add(copy(template, "S900006", row -> row[6] = LOCAL.format(LocalDateTime.parse(row[3], LOCAL).plusHours(30)))); // duration_too_long
    rows.add(copy(template, "S900007", row -> row[9] = "bot"));                         // bad_enum
    rows.add(copy(template, "S900008", row -> row[10] = "maybe"));                      // bad_value
    rows.add(template.clone());                                                         // exact duplicate
    rows.add(copy(rows.get(8), rows.get(8)[0], row -> row[6] = LOCAL.format(LocalDateTime.parse(row[6], LOCAL).plusMinutes(3)))); // conflicting_duplicate
    rows.add(copy(template, "S900009", row -> row[1] = "C999"));                        // unknown_consultant (kept)
  }

  private void addBadSurveys(List<String> surveys, List<String[]> sessions) {
    String[] session = sessions.get(3);
    LocalDateTime ended = LocalDateTime.parse(session[6], LOCAL);
    surveys.add(surveyJson("V900001", "S999999", ended.plusHours(1), 5, 10, null));           // orphan
    surveys.add(surveyJson("V900002", session[0], ended.plusHours(1), 9, null, null));        // out_of_range
    surveys.add(surveyJson("V900003", session[0], ended.plusHours(1), null, null, "空白问卷")); // empty_survey
    surveys.add(surveyJson("V900004", session[0], ended.minusDays(2), 4, 8, null));           // survey_before_session
    surveys.add(surveyJson("V900005", session[0], ended.plusHours(2), 2, 3, null));           // a second survey: the later one counts
    surveys.add(surveyJson("V900006", session[0], ended.plusHours(3), 5, 9, null));
  }

  private void writeRoster(Path file, List<Consultant> consultants) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, GBK)) {
      out.write("consultant_id,display_name,team_id,business_line,level,hired_at,active\n");
      for (Consultant c : consultants) {
        out.write(String.join(",", c.id(), c.name(), c.team(), c.businessLine(), c.level(), c.hiredAt().toString(),
            "true") + "\n");
      }
      out.write(",无编号,T1,education,junior,2024-01-01,true\n");                       // missing_required
      out.write("C998,格式错误,T2,education,junior,2024-02-30,yes\n");                   // bad_value (no 30 February)
    }
  }

  private void writeProfiles(Path file, List<Consultant> consultants) throws IOException {
    List<String> lines = new ArrayList<>(List.of("consultant_id,planted_profile"));
    consultants.forEach(c -> lines.add(c.id() + "," + c.profile().name().toLowerCase(Locale.ROOT)));
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  private static void writeSessions(Path file, List<String[]> rows) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write('\uFEFF');
      out.write("session_id,consultant_id,customer_id,started_at,assigned_at,first_response_at,ended_at,channel,"
          + "business_line,initiated_by,resolved,transferred,customer_messages,consultant_messages\n");
      for (String[] row : rows) {
        out.write(String.join(",", java.util.Arrays.copyOf(row, 14)) + "\n");
      }
    }
  }

  private static String surveyJson(String id, String sessionId, LocalDateTime submitted, Integer csat, Integer nps,
      String comment) {
    return "{\"survey_id\":\"" + id + "\",\"session_id\":\"" + sessionId + "\",\"submitted_at\":\""
        + OFFSET.format(submitted.atZone(ZONE).toOffsetDateTime()) + "\",\"csat\":" + csat + ",\"nps\":" + nps
        + ",\"comment\":" + (comment == null ? "null" : "\"" + comment + "\"") + "}";
  }

  private static String[] copy(String[] template, String id, java.util.function.Consumer<String[]> change) {
    String[] row = template.clone();
    row[0] = id;
    change.accept(row);
    return row;
  }

  private static String format(LocalDateTime time) {
    return time == null ? "" : LOCAL.format(time);
  }

  private double exponential(double mean) {
    return -mean * Math.log(1 - random.nextDouble());
  }

  private static int clamp(int value, int low, int high) {
    return Math.max(low, Math.min(high, value));
  }
}
