package org.consultscore.publish;

import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the result tables as Delta tables and registers them in the catalog. A period
 * table is replaced for the run's periods in one Delta commit ({@code replaceWhere}), so a
 * rerun leaves one copy and readers never see half a period.
 */
public final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  private final SparkSession spark;
  private final String root;
  private final String database;

  public Publisher(SparkSession spark, String root, String database) {
    this.spark = spark;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.database = database;
  }

  public String location(String table) {
    return root + "/" + table;
  }

  public String qualifiedName(String table) {
    return database + "." + table;
  }

  /**
   * Replaces the given periods of a table with {@code rows}, stamping run_id and, when given,
   * rules_version. Periods without rows end up empty in the table.
   */
  public long replacePeriods(String table, Dataset<Row> rows, String grain, List<LocalDate> periods,
      String runId, String rulesVersion) {
    Dataset<Row> stamped = rows.withColumn("run_id", lit(runId));
    if (rulesVersion != null) {
      stamped = stamped.withColumn("rules_version", lit(rulesVersion));
    }
    String condition = "period_grain = '" + grain + "' AND period_start IN ("
        + periods.stream().map(p -> "DATE'" + p + "'").collect(Collectors.joining(", ")) + ")";
    stamped.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", condition)
        .option("mergeSchema", "true")
        .partitionBy("period_grain", "period_start")
        .save(location(table));
    register(table);
    long written = lastCommitRows(table);
    LOG.debug("Table {}: replaced {} with {} rows", table, condition, written);
    return written;
  }

  /**
   * Replaces a whole table (metric_catalog) with {@code rows} in one Delta commit, stamping
   * run_id and, when given, rules_version. The table is not partitioned; its schema follows
   * the rows.
   */
  public long replaceAll(String table, Dataset<Row> rows, String runId, String rulesVersion) {
    Dataset<Row> stamped = rows.withColumn("run_id", lit(runId));
    if (rulesVersion != null) {
      stamped = stamped.withColumn("rules_version", lit(rulesVersion));
    }
    stamped.write()
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("overwriteSchema", "true")
        .save(location(table));
    register(table);
    return lastCommitRows(table);
  }

  /** Appends rows to a log table (run_log), which keeps one row per run. */
  public void append(String table, Dataset<Row> rows) {
    rows.write().format("delta").mode(SaveMode.Append).option("mergeSchema", "true").save(location(table));
    register(table);
  }

  /** Registers the table by location, so BI users can query database.table. */
  public void register(String table) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
    if (spark.catalog().tableExists(qualifiedName(table))) {
      String registered = spark.sql("DESCRIBE DETAIL " + qualifiedName(table)).first().getAs("location");
      if (!sameLocation(registered, location(table))) {
        LOG.warn("Table {} is registered at {}, not at {} where this run writes; the catalog entry is left as it is",
            qualifiedName(table), registered, location(table));
      }
      return;
    }
    spark.sql("CREATE TABLE " + qualifiedName(table) + " USING DELTA LOCATION '"
        + location(table).replace("'", "\\'") + "'");
  }

  private static boolean sameLocation(String registered, String written) {
    String bare = registered.startsWith("file:") ? registered.substring("file:".length()) : registered;
    return bare.equals(written) || registered.equals(written);
  }

  /** The published rows of a table, or null when it was never written. */
  public Dataset<Row> read(String table) {
    try {
      return spark.read().format("delta").load(location(table));
    } catch (Exception e) {
      if (isMissingTable(e)) {
        return null;
      }
      throw e;
    }
  }

  private long lastCommitRows(String table) {
    Row last = io.delta.tables.DeltaTable.forPath(spark, location(table)).history(1)
        .select("operationMetrics").first();
    java.util.Map<String, String> metrics = last.getJavaMap(0);
    String rows = metrics == null ? null : metrics.get("numOutputRows");
    return rows == null ? 0 : Long.parseLong(rows);
  }

  private static boolean isMissingTable(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("is not a Delta table") || message.contains("Path does not exist")
        || message.contains("PATH_NOT_FOUND") || message.contains("DELTA_MISSING_DELTA_TABLE");
  }
}
