package org.consultscore.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs started at once into an empty warehouse, for overlapping periods: October (with
 * September as lookback) and September (with August). Both must succeed and leave one copy.
 */
class ConcurrentRunsTest {
  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static String warehouse;
  private static List<RunResult> results;

  @BeforeAll
  static void runTwoAtOnce() throws Exception {
    spark = SparkTestSession.spark();
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir.resolve("concurrent"),
        "output.database = consultscore_concurrent"));
    SparkSessions.configure(spark, config);
    warehouse = config.outputPath();

    NightlyJob job = new NightlyJob(spark, config);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<RunResult>> runs = List.of(
          threads.submit(() -> runAfter(start, job, LocalDate.of(2026, 10, 1))),
          threads.submit(() -> runAfter(start, job, LocalDate.of(2026, 9, 1))));
      start.countDown();
      results = List.of(runs.get(0).get(20, TimeUnit.MINUTES), runs.get(1).get(20, TimeUnit.MINUTES));
    } finally {
      threads.shutdownNow();
    }
  }

  private static RunResult runAfter(CountDownLatch start, NightlyJob job, LocalDate period) throws InterruptedException {
    start.await();
    return job.run(job.plan(period, "month"));
  }

  private static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(warehouse + "/" + name);
  }

  @Test
  void scoresHaveOneCopyPerPeriod() {
    Dataset<Row> scores = table(Tables.CONSULTANT_SCORES);
    long keys = scores.select("period_start", "consultant_id").distinct().count();
    assertTrue(keys > 0, "consultant_scores has rows");
    assertEquals(keys, scores.count(), "one row per period and consultant");
    List<Row> periods = scores.select("period_start").distinct().orderBy("period_start").collectAsList();
    assertEquals(2, periods.size(), "September and October are scored; August has no sessions");
  }

  @Test
  void sessionFactsHaveOneCopy() {
    Dataset<Row> facts = table(Tables.SESSION_FACTS);
    assertTrue(facts.count() > 0, "session_facts has rows");
    assertEquals(facts.select("session_id").distinct().count(), facts.count(), "one row per session");
  }

  @Test
  void overlappingPeriodComesFromOneRun() {
    Dataset<Row> september = table(Tables.CONSULTANT_SCORES)
        .filter(col("period_start").equalTo(java.sql.Date.valueOf("2026-09-01")));
    assertEquals(1, september.select("run_id").distinct().count(), "September is one run's copy");
  }

  @Test
  void runLogHasBothRuns() {
    for (RunResult result : results) {
      List<Row> rows = table(Tables.RUN_LOG).filter(col("run_id").equalTo(result.run().runId())).collectAsList();
      assertEquals(1, rows.size(), "run_log row of " + result.run().runId());
      assertEquals("succeeded", rows.get(0).getAs("status"));
    }
  }
}
