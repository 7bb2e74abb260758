package org.consultscore.bench;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.publish.Publisher;
import org.consultscore.publish.Tables;

/**
 * One row of the job's run_log Delta table, read through Spark: the run's periods, its status,
 * and the rows and seconds of each stage.
 *
 * @param jobSeconds {@code ended_at − started_at}: the job from its first stage to its run_log
 *     row, without JVM start and SparkSession creation
 */
public record RunRecord(String runId, String status, String grain, List<LocalDate> periods, double jobSeconds,
    Map<String, Double> stageSeconds, Map<String, Long> stageRows) {

  /** Reads the latest run (by started_at) from the run_log of the config's output path. */
  public static RunRecord latest(SparkSession spark, AppConfig config) {
    String location = new Publisher(spark, config.outputPath(), config.database()).location(Tables.RUN_LOG);
    List<Row> rows = spark.read().format("delta").load(location)
        .orderBy(col("started_at").desc()).limit(1).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalStateException("run_log at " + location + " has no rows; run the job first");
    }
    Row row = rows.get(0);
    List<LocalDate> periods = row.<java.sql.Date>getList(row.fieldIndex("periods")).stream()
        .map(java.sql.Date::toLocalDate).toList();
    double seconds = (row.getTimestamp(row.fieldIndex("ended_at")).getTime()
        - row.getTimestamp(row.fieldIndex("started_at")).getTime()) / 1000.0;
    Map<String, Double> stageSeconds = new LinkedHashMap<>(row.<String, Double>getJavaMap(row.fieldIndex("stage_seconds")));
    Map<String, Long> stageRows = new LinkedHashMap<>(row.<String, Long>getJavaMap(row.fieldIndex("stage_rows")));
    return new RunRecord(row.getString(row.fieldIndex("run_id")), row.getString(row.fieldIndex("status")),
        row.getString(row.fieldIndex("period_grain")), periods, seconds, stageSeconds, stageRows);
  }
}
