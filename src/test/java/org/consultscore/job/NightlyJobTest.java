package org.consultscore.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.config.ConsultScoreException;
import org.consultscore.config.RunContext;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on data-samples: published tables, a rerun of the same period, empty and failed runs. */
class NightlyJobTest {
  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static AppConfig config;
  private static String warehouse;
  private static RunResult first;
  private static RunResult second;
  private static Dataset<Row> scoresAfterFirst;
  private static Dataset<Row> factsAfterFirst;
  private static List<Row> membersAfterFirst;
  private static List<Row> transitionsAfterFirst;

  @BeforeAll
  static void runTwice() {
    spark = SparkTestSession.spark();
    config = ConfigLoader.load(SampleConfig.write(dir.resolve("samples"), ""));
    SparkSessions.configure(spark, config);
    warehouse = config.outputPath();
    NightlyJob job = new NightlyJob(spark, config);
    first = job.run(job.plan(LocalDate.of(2026, 10, 15), "month"));
    scoresAfterFirst = table(Tables.CONSULTANT_SCORES).drop("run_id").localCheckpoint();
    factsAfterFirst = table(Tables.SESSION_FACTS).drop("run_id").localCheckpoint();
    membersAfterFirst = sorted(table(Tables.CONSULTANT_SEGMENTS).select("period_start", "consultant_id", "segment_id"));
    transitionsAfterFirst = sorted(table(Tables.SEGMENT_TRANSITIONS).drop("run_id"));
    second = job.run(job.plan(LocalDate.of(2026, 10, 15), "month"));
  }

  private static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(warehouse + "/" + name);
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    String[] columns = rows.columns();
    return rows.orderBy(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length)).collectAsList();
  }

  @Test
  void transitionsCoverOctober() {
    Dataset<Row> october = table(Tables.SEGMENT_TRANSITIONS).filter(col("period_start").equalTo("2026-10-01"));
    assertTrue(october.count() > 0, "October has transition rows");
    assertEquals("2026-09-01", october.first().getDate(october.first().fieldIndex("previous_period_start")).toString(),
        "October is compared with September");
    long people = october.agg(org.apache.spark.sql.functions.sum("people")).first().getLong(0);
    long inEither = table(Tables.CONSULTANT_SEGMENTS)
        .filter(col("period_start").geq(java.sql.Date.valueOf("2026-09-01")))
        .select("consultant_id").distinct().count();
    assertEquals(inEither, people, "each person in a segment of either month is counted once");
  }

  @Test
  void rerunKeepsSegmentsAndTransitions() {
    assertEquals(membersAfterFirst,
        sorted(table(Tables.CONSULTANT_SEGMENTS).filter(col("period_start").geq(java.sql.Date.valueOf("2026-09-01")))
            .select("period_start", "consultant_id", "segment_id")),
        "the same segment ids after a rerun");
    assertEquals(transitionsAfterFirst,
        sorted(table(Tables.SEGMENT_TRANSITIONS).filter(col("period_start").geq(java.sql.Date.valueOf("2026-09-01")))
            .drop("run_id")),
        "the same transitions after a rerun");
  }

  @Test
  void runLogHasSegmentNotes() {
    Row last = table(Tables.RUN_LOG).filter(col("run_id").equalTo(second.run().runId())).first();
    List<String> notes = last.getList(last.fieldIndex("notes"));
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("segments 2026-10-01: ")), notes.toString());
  }

  @Test
  void publishesBothPeriodsOfTheRun() {
    List<Row> periods = table(Tables.CONSULTANT_METRICS).select("period_start").distinct().orderBy("period_start")
        .collectAsList();
    assertEquals(2, periods.size(), "target October and lookback September");
    assertEquals("2026-09-01", periods.get(0).getDate(0).toString());
    assertTrue(table(Tables.CONSULTANT_SCORES).filter(col("grade").isNotNull()).count() > 0, "some people are graded");
    assertTrue(table(Tables.SEGMENT_PROFILES).count() > 0, "segments are published");
  }

  @Test
  void scoreWeightsRecordTheWeightsOfEachPeriod() {
    Dataset<Row> weights = table(Tables.SCORE_WEIGHTS);
    List<Row> dimensions = weights.filter(col("level").equalTo("dimension"))
        .groupBy("period_start").agg(org.apache.spark.sql.functions.sum("weight"), org.apache.spark.sql.functions.count("*"))
        .orderBy("period_start").collectAsList();
    assertEquals(2, dimensions.size(), "both periods of the run");
    for (Row period : dimensions) {
      assertEquals(1.0, period.getDouble(1), 1e-9, "dimension weights sum to 1 in " + period.get(0));
      assertEquals(config.scoring().dimensions().size(), period.getLong(2));
    }
    Row resolution = weights.filter(col("level").equalTo("dimension").and(col("name").equalTo("resolution"))).first();
    assertEquals(config.scoring().dimensions().get("resolution").weight(), resolution.<Double>getAs("weight"), 1e-12,
        "the expert weight of conf/scoring.conf");
    assertEquals("expert", resolution.getAs("method"));
    assertEquals(config.scoring().rulesVersion(), resolution.getAs("rules_version"));
    assertEquals(second.run().runId(), resolution.getAs("run_id"));
    assertEquals(2L * config.scoring().metrics().size(), weights.filter(col("level").equalTo("metric")).count(),
        "one row per metric and period");
  }

  @Test
  void teamScoresSummarizeTheConsultantScores() {
    Dataset<Row> teams = table(Tables.TEAM_SCORES);
    Dataset<Row> scores = table(Tables.CONSULTANT_SCORES);
    assertEquals(scores.select("period_start", "team_id").distinct().count(), teams.count(), "one row per team and period");
    Row october = teams.filter(col("period_start").equalTo(java.sql.Date.valueOf("2026-10-01")))
        .orderBy("team_id").first();
    Dataset<Row> members = scores.filter(col("period_start").equalTo(java.sql.Date.valueOf("2026-10-01"))
        .and(col("team_id").eqNullSafe(october.getAs("team_id"))));
    assertEquals(members.count(), october.<Long>getAs("people"));
    double mean = members.agg(org.apache.spark.sql.functions.avg("composite")).first().getDouble(0);
    assertEquals(mean, october.<Double>getAs("composite_mean"), 1e-9);
    Row previous = teams.filter(col("period_start").equalTo(java.sql.Date.valueOf("2026-09-01"))
        .and(col("team_id").eqNullSafe(october.getAs("team_id")))).first();
    assertEquals(mean - previous.<Double>getAs("composite_mean"), october.<Double>getAs("composite_mean_change"), 1e-9);
    assertEquals(second.run().runId(), october.getAs("run_id"));
  }

  @Test
  void metricCatalogIsReplacedAsAWhole() {
    Dataset<Row> catalog = table(Tables.METRIC_CATALOG);
    assertEquals(org.consultscore.config.MetricCatalog.all().size(), catalog.count(), "one row per metric, once");
    Row csat = catalog.filter(col("name").equalTo("csat_mean")).first();
    assertEquals("satisfaction", csat.getAs("dimension"));
    // Written by the latest run (another test may run the job for an empty period), with its target period.
    Row run = table(Tables.RUN_LOG).filter(col("run_id").equalTo(csat.<String>getAs("run_id"))).first();
    assertEquals("succeeded", run.getAs("status"));
    assertEquals(run.<java.sql.Date>getAs("period_start"), csat.getAs("period_start"), "the run's target period");
    assertEquals(1, catalog.select("run_id").distinct().count(), "all rows from one run");
  }

  @Test
  void rerunLeavesOneCopyEqualToTheSecondRun() {
    Dataset<Row> facts = table(Tables.SESSION_FACTS);
    assertEquals(facts.count(), facts.select("period_start", "session_id").distinct().count(), "one row per session");
    Dataset<Row> scores = table(Tables.CONSULTANT_SCORES);
    assertEquals(scores.count(), scores.select("period_start", "consultant_id").distinct().count(),
        "one row per consultant and period");
    assertEquals(1, scores.select("run_id").distinct().count(), "every row comes from one run");
    assertEquals(second.run().runId(), scores.select("run_id").first().getString(0), "the rows are the second run's");
    SparkTestSession.assertSameRows(scoresAfterFirst, scores.drop("run_id"));
    SparkTestSession.assertSameRows(factsAfterFirst, facts.drop("run_id"));
  }

  @Test
  void scratchFolderIsDeletedAfterTheRuns() {
    assertFalse(Files.exists(Path.of(config.scratchPath())), "no scratch folder is left: " + config.scratchPath());
  }

  @Test
  void runLogRecordsEachRun() {
    List<Row> runs = table(Tables.RUN_LOG).filter(col("status").equalTo("succeeded")).collectAsList();
    assertEquals(2, runs.size(), "two successful runs");
    Row last = table(Tables.RUN_LOG).filter(col("run_id").equalTo(second.run().runId())).first();
    assertEquals(config.scoring().rulesVersion(), last.getAs("rules_version"));
    assertTrue(last.getJavaMap(last.fieldIndex("stage_seconds")).containsKey("metrics"), "seconds per stage");
  }

  @Test
  void quarantineHoldsTheSampleBadRows() {
    List<Row> reasons = table(Tables.QUARANTINE).filter(col("source").equalTo("sessions"))
        .groupBy("reason").count().collectAsList();
    List<String> codes = reasons.stream().map(r -> r.getString(0)).toList();
    for (String code : List.of("missing_required", "bad_timestamp", "negative_duration", "response_before_start",
        "duration_too_long", "bad_enum", "bad_value", "conflicting_duplicate")) {
      assertTrue(codes.contains(code), "quarantine has a sessions row rejected as " + code);
    }
    Row quality = table(Tables.DATA_QUALITY)
        .filter(col("source").equalTo("sessions").and(col("reason").equalTo("unknown_consultant"))).first();
    assertEquals(1L, quality.<Long>getAs("rows"), "the session of consultant C999 is kept and flagged");
  }

  @Test
  void noRawCustomerIdOrCommentIsPublished() {
    assertFalse(List.of(table(Tables.SESSION_FACTS).columns()).contains("customer_id"), "session_facts has no customer_id");
    long leaked = table(Tables.QUARANTINE).filter(col("raw_row").rlike("\"customer_id\":\"U[0-9]")
        .or(col("raw_row").contains("谢谢"))).count();
    assertEquals(0, leaked, "quarantined raw rows mask customer ids and comments");
  }

  @Test
  void emptyPeriodCompletesWithEmptyTables() {
    NightlyJob job = new NightlyJob(spark, config);
    RunContext run = job.plan(LocalDate.of(2025, 1, 1), "month");
    RunResult result = job.run(run);
    assertEquals(0L, result.stageRows().get("metrics"), "no consultant has sessions in January 2025");
    long rows = table(Tables.CONSULTANT_SCORES).filter(col("period_start").lt(java.sql.Date.valueOf("2025-02-01"))).count();
    assertEquals(0, rows, "nothing is published for the empty periods");
  }

  @Test
  void missingRequiredColumnPublishesNothing() {
    Path project = dir.resolve("broken");
    TestProject broken = TestProject.in(project);
    broken.file("sessions.csv", "session_id,consultant_id,started_at,ended_at",
        "s1,A,2026-09-01 10:00:00,2026-09-01 10:05:00");
    broken.source("sessions", "format = csv\npath = \"" + project.resolve("sessions.csv") + "\"");
    AppConfig brokenConfig = broken.load();
    NightlyJob job = new NightlyJob(spark, brokenConfig);
    ConsultScoreException error = assertThrows(ConsultScoreException.class,
        () -> job.run(job.plan(LocalDate.of(2026, 9, 1), "month")));
    assertTrue(error.getMessage().contains("'sessions'"), error.getMessage());
    assertTrue(error.getMessage().contains("customer_id"), error.getMessage());
    assertEquals(2, error.exitCode());
    assertFalse(Files.exists(project.resolve("warehouse").resolve(Tables.CONSULTANT_SCORES)), "no period table is written");
    assertFalse(Files.exists(Path.of(brokenConfig.scratchPath())), "the failed run's scratch folder is deleted");
    Row failure = spark.read().format("delta").load(project.resolve("warehouse").resolve(Tables.RUN_LOG).toString()).first();
    assertEquals("failed", failure.getAs("status"));
  }
}
