package org.consultscore.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A survey that arrives after its period was published: the next nightly run restates the
 * lookback period with it, and leaves older periods as they were.
 */
class LateDataTest {
  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static String warehouse;
  private static List<Row> septemberBefore;
  private static List<Row> octoberBefore;
  private static RunResult second;

  @BeforeAll
  static void publishThenRestate() throws Exception {
    spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(
        "s1,A,U1,2026-09-10 10:00:00,,2026-09-10 10:00:20,2026-09-10 10:05:00,web,edu,customer,true,false,,",
        "s2,A,U2,2026-10-10 10:00:00,,2026-10-10 10:00:20,2026-10-10 10:05:00,web,edu,customer,true,false,,",
        "s3,A,U3,2026-11-10 10:00:00,,2026-11-10 10:00:20,2026-11-10 10:05:00,web,edu,customer,true,false,,");
    Path surveys = project.file("surveys.jsonl",
        "{\"survey_id\":\"v1\",\"session_id\":\"s1\",\"submitted_at\":\"2026-09-11T10:00:00+08:00\",\"csat\":5}");
    project.source("surveys", "format = json\npath = \"" + surveys + "\"");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);
    warehouse = config.outputPath();
    NightlyJob job = new NightlyJob(spark, config);

    job.run(job.plan(LocalDate.of(2026, 10, 1), "month"));
    septemberBefore = metrics("2026-09-01").collectAsList();
    octoberBefore = metrics("2026-10-01").collectAsList();

    // The survey of the October session arrives in November, after October was published.
    project.file("surveys.jsonl",
        "{\"survey_id\":\"v1\",\"session_id\":\"s1\",\"submitted_at\":\"2026-09-11T10:00:00+08:00\",\"csat\":5}",
        "{\"survey_id\":\"v2\",\"session_id\":\"s2\",\"submitted_at\":\"2026-11-02T10:00:00+08:00\",\"csat\":2}");
    second = job.run(job.plan(LocalDate.of(2026, 11, 1), "month"));
  }

  private static Dataset<Row> metrics(String period) {
    return spark.read().format("delta").load(warehouse + "/" + Tables.CONSULTANT_METRICS)
        .filter(col("period_start").equalTo(java.sql.Date.valueOf(period)));
  }

  @Test
  void lateSurveyChangesItsPeriod() {
    assertEquals(0L, octoberBefore.get(0).<Long>getAs("surveys"), "October had no survey when first published");
    Row october = metrics("2026-10-01").first();
    assertEquals(1L, october.<Long>getAs("surveys"), "the next run counts the late survey");
    assertEquals(2.0, october.<Double>getAs("csat_mean"), 1e-12);
    assertEquals(second.run().runId(), october.getAs("run_id"), "October was restated by the second run");
  }

  @Test
  void olderPeriodIsLeftAsPublished() {
    List<Row> septemberAfter = metrics("2026-09-01").collectAsList();
    assertEquals(septemberBefore, septemberAfter, "September is outside the second run's periods");
    assertFalse(septemberAfter.get(0).getAs("run_id").equals(second.run().runId()), "September keeps the first run's id");
  }
}
