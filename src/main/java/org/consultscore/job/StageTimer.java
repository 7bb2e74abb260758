package org.consultscore.job;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the stages of a job one after another, names each in the Spark UI (job group), and
 * logs one line per stage with its row count and seconds. run_log stores the same figures.
 */
final class StageTimer {
  private static final Logger LOG = LoggerFactory.getLogger(StageTimer.class);

  /** Result of a stage, with the rows it produced and a detail for the log line. */
  record Outcome<T>(T value, long rows, String detail) {}

  private final SparkSession spark;
  private final String runId;
  private final Map<String, Long> rows = new LinkedHashMap<>();
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  StageTimer(SparkSession spark, String runId) {
    this.spark = spark;
    this.runId = runId;
  }

  <T> T run(String stage, String description, Function<Void, Outcome<T>> body) {
    spark.sparkContext().setJobGroup("consultscore-" + stage, "ConsultScore " + stage + ": " + description, false);
    LOG.info("Stage {}: started ({})", stage, description);
    long start = System.nanoTime();
    try {
      Outcome<T> outcome = body.apply(null);
      double elapsed = (System.nanoTime() - start) / 1e9;
      rows.put(stage, outcome.rows());
      seconds.put(stage, elapsed);
      LOG.info(String.format(Locale.ROOT, "Stage %s: finished, %,d rows in %.1f s%s", stage, outcome.rows(), elapsed,
          outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")"));
      return outcome.value();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  Map<String, Long> rows() {
    return rows;
  }

  Map<String, Double> seconds() {
    return seconds;
  }

  String runId() {
    return runId;
  }
}
