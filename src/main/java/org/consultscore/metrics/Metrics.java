package org.consultscore.metrics;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;

/** The metrics stage: session facts of the run's periods and the metrics per consultant. */
public final class Metrics {
  private Metrics() {}

  /** Output of the stage; session_facts identifies customers only by their keyed pseudonym. */
  public record Result(Dataset<Row> sessionFacts, Dataset<Row> consultantMetrics) {}

  public static Result run(Dataset<Row> sessions, Dataset<Row> surveys, AppConfig config, RunContext run) {
    Dataset<Row> facts = SessionFacts.build(sessions, surveys, config, run)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> metrics = ConsultantMetrics.aggregate(facts, config.satisfiedThreshold())
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new Result(facts, metrics);
  }
}
