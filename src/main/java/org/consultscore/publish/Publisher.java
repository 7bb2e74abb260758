package org.consultscore.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the result tables as Delta tables and registers them in the catalog. A period
 * table is replaced for the run's periods in one Delta commit ({@code replaceWhere}), so a
 * rerun leaves one copy and readers never see half a period.
 *
 * <p>Two runs whose periods overlap can commit to the same table at once. Delta's optimistic
 * concurrency then rejects one commit with a {@link DeltaConcurrentModificationException}, and
 * that write is retried with backoff, so the last commit wins and each period keeps one copy.
 */
public final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  /** Attempts of one commit before a conflict with concurrent runs fails the run. */
  static final int MAX_COMMIT_ATTEMPTS = 6;
  /** Wait before the first retry; it doubles with each further attempt, plus random jitter. */
  static final long FIRST_BACKOFF_MILLIS = 1_000;
  /** Tables written at once by {@link #writeAll}. */
  static final int PARALLEL_WRITES = 4;
  /** Delta write option that stores the run id in the commit, shown by DESCRIBE HISTORY. */
  private static final String RUN_METADATA = "userMetadata";
  /** Delta table property naming the columns whose statistics each file's log entry records. */
  static final String STATS_COLUMNS_PROPERTY = "delta.dataSkippingStatsColumns";
  /** Number of a table's latest commits searched for the run's own commit. */
  private static final int HISTORY_SEARCHED = 20;

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
    Dataset<Row> output = stamped;
    List<String> columns = Tables.STATS_COLUMNS.get(table);
    String statsColumns = columns == null ? null : String.join(",", columns);
    if (statsColumns != null) {
      limitStats(table, statsColumns);
    }
    commitWithRetry(table, condition, () -> {
      DataFrameWriter<Row> writer = output.write()
          .format("delta")
          .mode(SaveMode.Overwrite)
          .option("replaceWhere", condition)
          .option("mergeSchema", "true")
          .option(RUN_METADATA, runId)
          .partitionBy("period_grain", "period_start");
      if (statsColumns != null) {
        // Delta stores a write option named like a table property as that property when the
        // write creates the table.
        writer = writer.option(STATS_COLUMNS_PROPERTY, statsColumns);
      }
      writer.save(location(table));
    });
    register(table);
    long written = committedRows(table, runId);
    LOG.debug("Table {}: replaced {} with {} rows", table, condition, written);
    return written;
  }

  /**
   * Sets the table's {@value #STATS_COLUMNS_PROPERTY} to the given comma-separated columns when
   * the table exists with another value, so a table created by an earlier version gets the same
   * statistics from its next write on. The files already written keep theirs.
   */
  private void limitStats(String table, String expected) {
    if (!DeltaTable.isDeltaTable(spark, location(table))) {
      return;
    }
    Row detail = DeltaTable.forPath(spark, location(table)).detail().first();
    Map<String, String> properties = detail.getJavaMap(detail.fieldIndex("properties"));
    if (expected.equals(properties.get(STATS_COLUMNS_PROPERTY))) {
      return;
    }
    LOG.info("Table {}: file statistics limited to the columns {}", table, expected);
    commitWithRetry(table, "set " + STATS_COLUMNS_PROPERTY, () -> spark.sql("ALTER TABLE delta.`"
        + location(table).replace("`", "``") + "` SET TBLPROPERTIES ('" + STATS_COLUMNS_PROPERTY + "' = '"
        + expected + "')"));
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
        .option(RUN_METADATA, runId)
        .save(location(table));
    register(table);
    return committedRows(table, runId);
  }

  /**
   * Runs the writes of different tables side by side and returns the rows each wrote, by
   * table in the order given. Most tables are small, so their time is Delta's work on the
   * driver (log reads, commit, catalog), which overlaps well. Every write is waited for. Then
   * the first failure in table order is raised unchanged, so a scheduler gets the same error
   * as from a sequential run.
   */
  public Map<String, Long> writeAll(Map<String, Supplier<Long>> writes) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
    return runAll(writes);
  }

  /** Runs the writes on {@value #PARALLEL_WRITES} threads; see {@link #writeAll}. */
  static Map<String, Long> runAll(Map<String, Supplier<Long>> writes) {
    Throwable failure = null;
    ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_WRITES,
        new BasicThreadFactory.Builder().namingPattern("consultscore-publish-%d").daemon(true).build());
    try {
      Map<String, Future<Long>> pending = new LinkedHashMap<>();
      writes.forEach((table, write) -> pending.put(table, pool.submit(write::get)));
      Map<String, Long> written = new LinkedHashMap<>();
      for (Map.Entry<String, Future<Long>> entry : pending.entrySet()) {
        try {
          written.put(entry.getKey(), entry.getValue().get());
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while writing table " + entry.getKey(), e);
        }
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null) {
        throw new IllegalStateException("writing the tables failed", failure);
      }
      return written;
    } finally {
      pool.shutdown();
    }
  }

  /** Appends rows to a log table (run_log), which keeps one row per run. */
  public void append(String table, Dataset<Row> rows) {
    commitWithRetry(table, "append", () -> rows.write().format("delta").mode(SaveMode.Append)
        .option("mergeSchema", "true").save(location(table)));
    register(table);
  }

  /**
   * Runs one Delta write, retrying it when a concurrent commit to the same table conflicts
   * with it. Other errors, and a conflict on the last attempt, are raised unchanged.
   */
  static void commitWithRetry(String table, String operation, Runnable write) {
    for (int attempt = 1; ; attempt++) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        if (!isCommitConflict(e) || attempt >= MAX_COMMIT_ATTEMPTS) {
          throw e;
        }
        long backoff = backoffMillis(attempt);
        LOG.warn("Table {}: commit ({}) conflicted with a concurrent write, attempt {} of {}; retrying in {} ms: {}",
            table, operation, attempt, MAX_COMMIT_ATTEMPTS, backoff, e.getClass().getSimpleName());
        sleep(backoff, e);
      }
    }
  }

  static boolean isCommitConflict(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof DeltaConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }

  private static long backoffMillis(int attempt) {
    long base = FIRST_BACKOFF_MILLIS << (attempt - 1);
    return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  private static void sleep(long millis, RuntimeException conflict) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw conflict;
    }
  }

  /** Registers the table by location, so BI users can query database.table. */
  public void register(String table) {
    spark.sql("CREATE DATABASE IF NOT EXISTS " + database);
    if (spark.catalog().tableExists(qualifiedName(table))) {
      String registered;
      try {
        registered = spark.sql("DESCRIBE DETAIL " + qualifiedName(table)).first().getAs("location");
      } catch (Exception e) {
        // The catalog can outlive the folder it points to, and Delta then raises an
        // AnalysisException, which is checked in Java's terms. The data written by this run
        // stays readable by path, so a stale entry is reported, not fatal.
        LOG.warn("Table {} is registered but cannot be described ({}); leaving the catalog entry as it is",
            qualifiedName(table), e.getMessage().lines().findFirst().orElse(""));
        return;
      }
      if (!sameLocation(registered, location(table))) {
        LOG.warn("Table {} is registered at {}, not at {} where this run writes; the catalog entry is left as it is",
            qualifiedName(table), registered, location(table));
      }
      return;
    }
    try {
      spark.sql("CREATE TABLE " + qualifiedName(table) + " USING DELTA LOCATION '"
          + location(table).replace("'", "\\'") + "'");
    } catch (Exception e) {
      // A concurrent run can register the table between the check and the CREATE.
      if (!isAlreadyRegistered(e)) {
        throw e;
      }
      LOG.debug("Table {} was registered by a concurrent run", qualifiedName(table));
    }
  }

  private static boolean isAlreadyRegistered(Exception e) {
    return e instanceof TableAlreadyExistsException
        || String.valueOf(e.getMessage()).contains("TABLE_OR_VIEW_ALREADY_EXISTS");
  }

  private static boolean sameLocation(String registered, String written) {
    String bare = registered.startsWith("file:") ? registered.substring("file:".length()) : registered;
    return bare.equals(written) || registered.equals(written);
  }

  /** Reads the published rows of a table; returns null when it was never written. */
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

  /**
   * Returns the rows written by the run's latest commit to the table, found by the run id in
   * the commit's user metadata, so a commit of a concurrent run right after it is not counted.
   * Returns 0 when that commit is not among the latest {@value #HISTORY_SEARCHED} commits.
   */
  long committedRows(String table, String runId) {
    List<Row> commits = DeltaTable.forPath(spark, location(table)).history(HISTORY_SEARCHED)
        .filter(col("userMetadata").equalTo(runId))
        .orderBy(col("version").desc())
        .select("operationMetrics")
        .limit(1)
        .collectAsList();
    if (commits.isEmpty()) {
      LOG.warn("Table {}: no commit of run {} among its latest {} commits, so its row count is logged as 0",
          table, runId, HISTORY_SEARCHED);
      return 0;
    }
    java.util.Map<String, String> metrics = commits.get(0).getJavaMap(0);
    String rows = metrics == null ? null : metrics.get("numOutputRows");
    return rows == null ? 0 : Long.parseLong(rows);
  }

  private static boolean isMissingTable(Exception e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("is not a Delta table") || message.contains("Path does not exist")
        || message.contains("PATH_NOT_FOUND") || message.contains("DELTA_MISSING_DELTA_TABLE");
  }
}
