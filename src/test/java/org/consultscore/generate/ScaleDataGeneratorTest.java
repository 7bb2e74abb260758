package org.consultscore.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.CapturedOutput;
import org.consultscore.SparkTestSession;
import org.consultscore.cli.ConsultScoreCli;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.ingest.QualityReport;
import org.consultscore.job.NightlyJob;
import org.consultscore.job.SparkSessions;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --scale} at a small scale (20 consultants, 3 days, 50 sessions a day): the
 * written sources and their layout, the rates, the seed, the written config running the whole
 * job, and ingest of every format.
 */
class ScaleDataGeneratorTest {
  private static final String[] SMALL = {"--consultants", "20", "--days", "3", "--sessions-per-day", "50",
      "--first-day", "2026-09-01"};
  private static final String SEED = "11";

  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static Path parquet;
  private static String output;
  private static Map<String, Long> printedRows;
  private static AppConfig parquetConfig;

  /** Generates the parquet data set and runs the whole job on it with the written config. */
  @BeforeAll
  static void generateAndRun() {
    spark = SparkTestSession.spark();
    parquet = dir.resolve("parquet");
    output = generate(parquet, "parquet");
    printedRows = printedRows(output);
    parquetConfig = ConfigLoader.load(parquet.resolve("consultscore.conf"));
    SparkSessions.configure(spark, parquetConfig);
    NightlyJob job = new NightlyJob(spark, parquetConfig);
    job.run(job.plan(LocalDate.of(2026, 9, 2), "month"));
  }

  private static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(parquetConfig.outputPath() + "/" + name);
  }

  /** Runs the command and returns its standard output; fails unless it exits with 0. */
  private static String generate(Path target, String format) {
    return generate(target, format, SEED);
  }

  private static String generate(Path target, String format, String seed) {
    List<String> args = new ArrayList<>(List.of("generate", "--scale", "--output", target.toString(),
        "--format", format, "--seed", seed));
    args.addAll(List.of(SMALL));
    int[] code = new int[1];
    String out = CapturedOutput.stdout(() -> code[0] = ConsultScoreCli.execute(args.toArray(new String[0])));
    assertEquals(0, code[0], out);
    return out;
  }

  /** Parses the summary lines "  source   rows rows   seconds s / ...". */
  private static Map<String, Long> printedRows(String out) {
    Map<String, Long> rows = new HashMap<>();
    for (String line : out.lines().toList()) {
      String[] words = line.trim().split("\\s+");
      if (words.length > 3 && ScaleDataGenerator.SOURCES.contains(words[0]) && words[2].equals("rows")) {
        rows.put(words[0], Long.parseLong(words[1].replace(",", "")));
      }
    }
    return rows;
  }

  private static Dataset<Row> read(Path root, String format, String source) {
    var reader = spark.read().format(format);
    if (format.equals("csv")) {
      reader = reader.option("header", "true");
    }
    return reader.load(root.resolve(source).toString());
  }

  @Test
  void summaryHasEverySource() {
    assertEquals(ScaleDataGenerator.SOURCES.size(), printedRows.size(), output);
    for (String source : ScaleDataGenerator.SOURCES) {
      assertEquals(read(parquet, "parquet", source).count(), printedRows.get(source),
          "printed row count of " + source);
    }
    assertTrue(output.contains("会话"), "the summary is bilingual: " + output);
  }

  @Test
  void rowCountsFollowTheOptions() {
    assertEquals(150, printedRows.get("sessions"), "3 days x 50 sessions");
    assertEquals(20, printedRows.get("consultants"));
    assertEquals(60, printedRows.get("work_time"), "one row per consultant and day");
    assertEquals(80, printedRows.get("reviews"), "4 reviews per consultant in one month");
    long messages = printedRows.get("messages");
    assertTrue(messages > 150 * 7, "about 8 messages per session: " + messages);
    assertTrue(messages < 150 * 9, "about 8 messages per session: " + messages);
  }

  @Test
  void ratesMatchAtTwentyThousandSessions() {
    ScaleOptions options = new ScaleOptions(50, 4, 5000, LocalDate.of(2026, 9, 1), 5, "parquet", 8, 0.30, 0.02,
        0.10, 4, 1.0, null);
    ScaleRoster roster = new ScaleRoster(options.seed(), options.consultants(), options.firstDay());
    ScaleSources sources = new ScaleSources(spark, options, roster);
    Dataset<Row> plan = sources.sessionPlan().cache();
    try {
      double sessions = 20_000;
      assertEquals(sessions, plan.count());
      assertEquals(0.30, sources.surveys(plan).count() / sessions, 0.015, "survey rate");
      assertEquals(0.02, sources.audits(plan).count() / sessions, 0.004, "audit rate");
      assertEquals(0.10, sources.outcomes(plan).count() / sessions, 0.008, "outcome rate");
      assertEquals(8.0, sources.messageCount(plan) / sessions, 0.1, "messages per session");

      long busiestConsultant = plan.groupBy("consultant_id").count().agg(max("count")).first().getLong(0);
      assertTrue(busiestConsultant > 3 * sessions / 50, "a few consultants are much busier: " + busiestConsultant);
      long busiestCustomer = plan.groupBy("customer_id").count().agg(max("count")).first().getLong(0);
      assertTrue(busiestCustomer > 20, "a few customers come back often: " + busiestCustomer);
      long partTimer = plan.filter(col("consultant_id").equalTo("C0008")).count();
      assertTrue(partTimer < sessions / 50 / 2, "a part-timer handles fewer sessions: " + partTimer);
    } finally {
      plan.unpersist();
    }
  }

  @Test
  void lateSurveysLandAfterTheLastDay() {
    long late = read(parquet, "parquet", "surveys").filter(col("date").gt("2026-09-03")).count();
    assertTrue(late > 0, "some surveys arrive after the generated days");
    long sameSession = read(parquet, "parquet", "surveys")
        .join(read(parquet, "parquet", "sessions").select("session_id", "ended_at"), "session_id")
        .filter(col("submitted_at").lt(col("ended_at"))).count();
    assertEquals(0, sameSession, "no survey before its session ends");
  }

  @Test
  void sameSeedGivesSameData() throws IOException {
    Path again = dir.resolve("again");
    generate(again, "parquet");
    for (String source : List.of("sessions", "messages", "surveys", "outcomes", "reviews", "consultants")) {
      Dataset<Row> first = read(parquet, "parquet", source);
      Dataset<Row> second = read(again, "parquet", source);
      assertEquals(0, first.exceptAll(second).count() + second.exceptAll(first).count(), source + " differs");
    }
    assertEquals(Files.readString(parquet.resolve("planted_profiles.csv")),
        Files.readString(again.resolve("planted_profiles.csv")));
  }

  @Test
  void otherSeedGivesOtherData() {
    Path other = dir.resolve("other-seed");
    generate(other, "parquet", "12");
    Dataset<Row> first = read(parquet, "parquet", "sessions");
    Dataset<Row> second = read(other, "parquet", "sessions");
    assertNotEquals(0, first.exceptAll(second).count(), "another seed changes the sessions");
  }

  @Test
  void layoutIsPartitionedByDate() throws IOException {
    for (String source : List.of("sessions", "messages", "work_time")) {
      for (String day : List.of("2026-09-01", "2026-09-02", "2026-09-03")) {
        Path folder = parquet.resolve(source).resolve("date=" + day);
        assertTrue(Files.isDirectory(folder), folder + " exists");
        try (Stream<Path> files = Files.list(folder)) {
          assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("part-")), folder + " has part files");
        }
      }
    }
    try (Stream<Path> files = Files.list(parquet.resolve("consultants"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("part-")), "roster part files");
    }
    assertTrue(Files.isRegularFile(parquet.resolve("consultscore.conf")));
    assertTrue(Files.isRegularFile(parquet.resolve("scoring.conf")));
  }

  @Test
  void parquetTimestampsAreTimestamps() {
    Dataset<Row> sessions = read(parquet, "parquet", "sessions");
    assertEquals("timestamp", sessions.schema().apply("started_at").dataType().typeName());
    assertEquals("decimal(18,2)", read(parquet, "parquet", "outcomes").schema().apply("amount").dataType()
        .simpleString());
  }

  @Test
  void writtenConfigRunsTheJob() {
    assertEquals(parquet.resolve("warehouse").toString(), parquetConfig.outputPath());
    Dataset<Row> metrics = table(Tables.CONSULTANT_METRICS).filter(col("period_start").equalTo("2026-09-01"));
    long consultantsWithSessions = read(parquet, "parquet", "sessions").select("consultant_id").distinct().count();
    assertEquals(consultantsWithSessions, metrics.count(), "one metrics row per consultant with sessions");
    assertTrue(metrics.filter(col("reply_time_median_s").isNotNull()).count() > 0, "messages feed reply times");
    assertTrue(metrics.filter(col("review_360_mean").isNotNull()).count() > 0, "reviews feed the 360 mean");
    assertTrue(metrics.filter(col("qa_score_mean").isNotNull()).count() > 0, "audits feed the QA score");
    assertTrue(metrics.filter(col("conversion_rate").isNotNull()).count() > 0, "outcomes feed conversion");
    assertTrue(metrics.filter(col("occupancy_rate").isNotNull()).count() > 0, "work_time feeds occupancy");
    Dataset<Row> scores = table(Tables.CONSULTANT_SCORES);
    assertTrue(scores.filter(col("composite").isNotNull()).count() > 0, "some consultants are scored");
  }

  @Test
  void jobReadsEveryRowWithoutRejects() {
    assertEquals(0, table(Tables.QUARANTINE).count(), "generated data has no rejected rows");
    Dataset<Row> quality = table(Tables.DATA_QUALITY);
    for (String source : ScaleDataGenerator.SOURCES) {
      Dataset<Row> counts = quality.filter(col("source").equalTo(source).and(col("category").equalTo("read")));
      assertEquals(printedRows.get(source), counts.agg(org.apache.spark.sql.functions.sum("rows")).first().getLong(0),
          "rows of " + source + " the job read");
    }
  }

  @Test
  void everyFormatRoundTripsThroughIngest() {
    List<String> contract = List.of("session_id", "consultant_id", "customer_id", "started_at", "assigned_at",
        "first_response_at", "ended_at", "channel", "initiated_by", "resolved", "transferred",
        "customer_messages", "consultant_messages");
    Dataset<Row> expected = read(parquet, "parquet", "sessions").selectExpr(contract.toArray(new String[0]));
    for (String format : List.of("csv", "json", "delta")) {
      Path target = dir.resolve(format);
      Map<String, Long> written = printedRows(generate(target, format));
      IngestResult result = ingest(target);
      for (String source : ScaleDataGenerator.SOURCES) {
        assertEquals(0, result.quality().count(source, QualityReport.REJECTED), format + " " + source + " rejects");
        assertEquals(written.get(source), result.quality().count(source, QualityReport.READ),
            format + " " + source + " rows read");
      }
      Dataset<Row> actual = result.sessions().selectExpr(contract.toArray(new String[0]));
      assertEquals(0, expected.exceptAll(actual).count() + actual.exceptAll(expected).count(),
          format + " sessions equal the parquet sessions after ingest");
    }
  }

  private static IngestResult ingest(Path root) {
    AppConfig config = ConfigLoader.load(root.resolve("consultscore.conf"));
    SparkSessions.configure(spark, config);
    return Ingest.inspect(spark, config);
  }

  @Test
  void badOptionsExitWithTwo() {
    String target = dir.resolve("bad").toString();
    List<List<String>> cases = List.of(
        List.of("generate", "--scale", "--output", target, "--format", "orc"),
        List.of("generate", "--scale", "--output", target, "--days", "0"),
        List.of("generate", "--scale", "--output", target, "--survey-rate", "1.5"),
        List.of("generate", "--scale", "--output", target, "--months", "2"),
        List.of("generate", "--output", target, "--days", "3"));
    List<String> options = List.of("--format", "--days", "--survey-rate", "--months", "--days");
    for (int i = 0; i < cases.size(); i++) {
      String[] args = cases.get(i).toArray(new String[0]);
      int[] code = new int[1];
      String err = CapturedOutput.stderr(() -> code[0] = ConsultScoreCli.execute(args));
      assertEquals(2, code[0], String.join(" ", args));
      assertTrue(err.contains(options.get(i)), "the message names " + options.get(i) + ": " + err);
    }
    assertTrue(Files.notExists(Path.of(target)), "nothing is written");
  }
}
