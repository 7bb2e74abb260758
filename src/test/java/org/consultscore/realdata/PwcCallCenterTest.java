package org.consultscore.realdata;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.config.RunContext;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.ingest.QualityReport;
import org.consultscore.ingest.Reasons;
import org.consultscore.job.SparkSessions;
import org.consultscore.metrics.Metrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs ingest and metrics with the shipped example config conf/examples/pwc-call-center.conf
 * on the public PwC call-centre CSV. The expected values are computed here from the same file
 * with plain Java, so an error in the mapping or in a metric shows up as a mismatch. The tests
 * are skipped when the data folder beside the project is missing.
 */
class PwcCallCenterTest {
  private static final String DATA = "../shared/data/real/pwc-call-center/Call-Center-Dataset.csv";
  private static final String CONFIG = "conf/examples/pwc-call-center.conf";
  private static final String SCORING = "conf/examples/pwc-call-center-scoring.conf";
  private static final LocalDate FEBRUARY = LocalDate.of(2021, 2, 1);
  private static final LocalDate MARCH = LocalDate.of(2021, 3, 1);
  private static final int SLA_SECONDS = 60;
  private static final int SATISFIED = 4;

  @TempDir
  static Path dir;

  private static Path dataFile;
  private static String previousTimeZone;
  private static List<Call> calls;
  private static List<Row> metrics;
  private static QualityReport quality;

  /** One line of the CSV, read without the job's code. */
  private record Call(String agent, LocalDate date, boolean answered, boolean resolved,
      Integer speedSeconds, Integer talkSeconds, Integer rating) {

    LocalDate month() {
      return date.withDayOfMonth(1);
    }

    /** Returns the seconds from start to end, speed of answer plus talk time (0 if abandoned). */
    int handleSeconds() {
      return answered ? speedSeconds + talkSeconds : 0;
    }
  }

  @BeforeAll
  static void runIngestAndMetrics() throws IOException {
    Path project = Path.of(System.getProperty("consultscore.project.dir", ".")).toAbsolutePath();
    Path csv = project.resolve(DATA).normalize();
    dataFile = csv;
    if (!Files.isRegularFile(csv)) {
      // requireData skips each test, so the reports count them as skipped.
      return;
    }

    calls = readCalls(csv);

    // Copy the shipped config with the input as an absolute path and the output in the temp
    // dir. HOCON keys appended at the end override the file's own.
    String overrides = "\nsources.sessions.path = \"" + csv + "\"\n"
        + "sources.surveys.path = \"" + csv + "\"\n"
        + "output.path = \"" + dir.resolve("warehouse") + "\"\n";
    Path config = dir.resolve("pwc-call-center.conf");
    Files.writeString(config, Files.readString(project.resolve(CONFIG)) + overrides);
    Files.copy(project.resolve(SCORING), dir.resolve("pwc-call-center-scoring.conf"));
    AppConfig settings = ConfigLoader.load(config);

    SparkSession spark = SparkTestSession.spark();
    previousTimeZone = spark.conf().get("spark.sql.session.timeZone");
    SparkSessions.configure(spark, settings);

    IngestResult input = Ingest.run(spark, settings);
    quality = input.quality();
    RunContext run = RunContext.of("pwc-test", "month", MARCH, 1, LocalDate.of(2021, 6, 1), 7);
    metrics = Metrics.run(input.sessions(), input.surveys(), settings, run)
        .consultantMetrics().collectAsList();
  }

  @BeforeEach
  void requireData() {
    assumeTrue(calls != null, "PwC call-centre data not found at " + dataFile);
  }

  @AfterAll
  static void restoreTimeZone() {
    // Other test classes share the session and expect the time zone they found.
    if (previousTimeZone != null) {
      SparkTestSession.spark().conf().set("spark.sql.session.timeZone", previousTimeZone);
    }
  }

  private static List<Call> readCalls(Path csv) throws IOException {
    List<Call> result = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = reader.readLine();
      assertTrue(header.replace("\uFEFF", "").startsWith("Call Id,Agent,Date,Time,"), header);
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        assertEquals(10, f.length, line);
        result.add(new Call(f[1].trim(), LocalDate.parse(f[2].trim()),
            f[5].trim().equals("Y"), f[6].trim().equals("Y"),
            number(f[7]), clockSeconds(f[8]), number(f[9])));
      }
    }
    return result;
  }

  private static Integer number(String field) {
    String value = field.trim();
    return value.isEmpty() ? null : Integer.valueOf(value);
  }

  /** Returns H:MM:SS as seconds, or null for a blank field. */
  private static Integer clockSeconds(String field) {
    String value = field.trim();
    if (value.isEmpty()) {
      return null;
    }
    String[] parts = value.split(":");
    return Integer.parseInt(parts[0]) * 3600 + Integer.parseInt(parts[1]) * 60 + Integer.parseInt(parts[2]);
  }

  // Expected values: the metric definitions applied to the CSV rows.

  private static List<Call> callsOf(String agent, LocalDate month) {
    return calls.stream().filter(c -> c.agent().equals(agent) && c.month().equals(month)).toList();
  }

  private static double share(List<Call> population, Predicate<Call> condition) {
    return (double) population.stream().filter(condition).count() / population.size();
  }

  /** Returns the value at rank ceil(0.5 * n) in ascending order, the lower middle value for even n. */
  private static double median(List<Call> population, Function<Call, Integer> value) {
    List<Integer> values = new ArrayList<>(population.stream().map(value).toList());
    Collections.sort(values);
    int rank = (int) Math.ceil(0.5 * values.size());
    return values.get(rank - 1);
  }

  private static Row actual(String agent, LocalDate month) {
    return metrics.stream()
        .filter(r -> r.<String>getAs("consultant_id").equals(agent)
            && r.<Date>getAs("period_start").toLocalDate().equals(month))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metrics row for " + agent + " " + month));
  }

  private static double value(Row row, String metric) {
    Object value = row.getAs(metric);
    assertNotNull(value, metric + " is null");
    return ((Number) value).doubleValue();
  }

  private static void assertAgentMonth(String agent, LocalDate month) {
    List<Call> all = callsOf(agent, month);
    List<Call> answered = all.stream().filter(Call::answered).toList();
    List<Call> rated = all.stream().filter(c -> c.rating() != null).toList();
    assertTrue(all.size() > 100, "too few calls to compare for " + agent + " " + month);
    assertTrue(rated.size() > 50, "too few rated calls to compare for " + agent + " " + month);
    Row row = actual(agent, month);
    String where = agent + " " + month + ": ";
    assertAll(where,
        () -> assertEquals(all.size(), value(row, "sessions"), where + "sessions"),
        () -> assertEquals(all.size(), value(row, "customers"), where + "customers (one per call)"),
        () -> assertEquals(answered.size(), value(row, "answered_sessions"), where + "answered_sessions"),
        () -> assertEquals(share(all, Call::answered), value(row, "answered_rate"), 1e-12, where + "answered_rate"),
        () -> assertEquals(median(answered, Call::speedSeconds), value(row, "frt_median_s"), 1e-9,
            where + "frt_median_s"),
        () -> assertEquals(share(all, c -> c.answered() && c.speedSeconds() <= SLA_SECONDS),
            value(row, "sla_rate"), 1e-12, where + "sla_rate"),
        () -> assertEquals(median(all, Call::handleSeconds), value(row, "aht_median_s"), 1e-9,
            where + "aht_median_s"),
        () -> assertEquals(share(all, Call::resolved), value(row, "resolution_rate"), 1e-12,
            where + "resolution_rate"),
        () -> assertEquals(rated.size(), value(row, "surveys"), where + "surveys"),
        () -> assertEquals(rated.stream().mapToInt(Call::rating).average().orElseThrow(),
            value(row, "csat_mean"), 1e-12, where + "csat_mean"),
        () -> assertEquals(share(rated, c -> c.rating() >= SATISFIED), value(row, "csat_satisfied_rate"), 1e-12,
            where + "csat_satisfied_rate"),
        () -> assertEquals(0.0, value(row, "transfer_rate"), 0.0, where + "transfer_rate"));
  }

  @Test
  void ingestCountsCallsAndUnratedSurveys() {
    long unrated = calls.stream().filter(c -> c.rating() == null).count();
    assertAll(
        () -> assertEquals(5000, calls.size(), "calls in the CSV"),
        () -> assertEquals(calls.size(), quality.count("sessions", QualityReport.READ), "sessions read"),
        () -> assertEquals(0, quality.count("sessions", QualityReport.REJECTED), "sessions rejected"),
        () -> assertEquals(unrated, quality.count("surveys", QualityReport.FILTERED, Reasons.FILTERED_OUT),
            "unrated calls filtered out of surveys"),
        () -> assertEquals(0, quality.count("surveys", QualityReport.REJECTED), "surveys rejected"),
        () -> assertEquals(calls.size() - unrated, quality.count("surveys", QualityReport.VALID), "surveys kept"));
  }

  @Test
  void metricsCoverEveryAgentAndMonth() {
    Map<LocalDate, Long> rowsPerMonth = new TreeMap<>();
    for (Row row : metrics) {
      rowsPerMonth.merge(row.<Date>getAs("period_start").toLocalDate(), 1L, Long::sum);
    }
    long agents = calls.stream().map(Call::agent).distinct().count();
    assertEquals(Map.of(FEBRUARY, agents, MARCH, agents), rowsPerMonth);
  }

  @Test
  void dianeMarchMatchesCsv() {
    assertAgentMonth("Diane", MARCH);
  }

  @Test
  void beckyMarchMatchesCsv() {
    assertAgentMonth("Becky", MARCH);
  }

  @Test
  void allAgentsMatchCsvInBothMonths() {
    List<String> agents = calls.stream().map(Call::agent).distinct().sorted().toList();
    assertTrue(agents.size() >= 2, "agents: " + agents);
    for (LocalDate month : List.of(FEBRUARY, MARCH)) {
      for (String agent : agents) {
        assertAgentMonth(agent, month);
      }
    }
  }
}
