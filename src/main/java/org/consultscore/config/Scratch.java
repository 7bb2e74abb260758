package org.consultscore.config;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storage of a run's large intermediate results. In the run's folder,
 * {@code <output.scratch_path>/<run id>}, a stage writes a result as Parquet once and reads it
 * back instead of caching it: later scans read only the columns they use, and the rows stay
 * out of the executors' heap. The folder is on the same storage as the tables, so every
 * executor of a cluster reads it. The job deletes it when the run ends, whether the run
 * succeeded or failed. Commands that write nothing (validate) keep the results as local
 * checkpoints instead.
 */
public final class Scratch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scratch.class);
  /** Parquet writer setting that turns dictionary encoding on or off. */
  static final String DICTIONARY_OPTION = "parquet.enable.dictionary";

  private final SparkSession spark;
  private final String folder;
  /** Whether the folder's parent is the default _scratch folder, deleted when empty. */
  private final boolean defaultParent;

  private Scratch(SparkSession spark, String folder, boolean defaultParent) {
    this.spark = spark;
    this.folder = folder;
    this.defaultParent = defaultParent;
  }

  /** Returns the scratch folder of one run. Nothing is created until a result is written. */
  public static Scratch of(SparkSession spark, AppConfig config, String runId) {
    return new Scratch(spark, config.scratchPath() + "/" + runId,
        config.scratchPath().equals(ConfigLoader.defaultScratchPath(config.outputPath())));
  }

  /** Returns a scratch that keeps results as local checkpoints and writes no file. */
  public static Scratch inMemory(SparkSession spark) {
    return new Scratch(spark, null, false);
  }

  /**
   * Writes the rows to {@code <folder>/<name>} as Parquet and returns them read from there,
   * with the same schema (every column nullable). A scratch without a folder returns their local
   * checkpoint instead.
   */
  public Dataset<Row> materialize(String name, Dataset<Row> rows) {
    if (folder == null) {
      return rows.localCheckpoint();
    }
    String path = folder + "/" + name;
    // No dictionary pages, because most columns here are ids with millions of distinct values,
    // for which building a dictionary only costs write time (docs/decisions.md).
    rows.write().option(DICTIONARY_OPTION, "false").parquet(path);
    return spark.read().schema(rows.schema()).parquet(path);
  }

  /**
   * Deletes the _scratch folder once no other run's folder is in it. A run that creates its
   * folder at this moment makes the delete fail, which leaves the folder in place. A scratch
   * path set in the config is never deleted.
   */
  private static void deleteIfEmpty(FileSystem fs, Path folder) {
    try {
      if (folder != null && fs.exists(folder) && fs.listStatus(folder).length == 0) {
        fs.delete(folder, false);
      }
    } catch (IOException e) {
      LOG.debug("Scratch path {} kept: {}", folder, e.getMessage());
    }
  }

  /** Deletes the run's folder and everything in it. A failure is logged, not raised. */
  @Override
  public void close() {
    if (folder == null) {
      return;
    }
    Path path = new Path(folder);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(path) && !fs.delete(path, true)) {
        LOG.warn("Could not delete the scratch folder {}; delete it by hand", folder);
        return;
      }
      if (defaultParent) {
        deleteIfEmpty(fs, path.getParent());
      }
    } catch (IOException e) {
      LOG.warn("Could not delete the scratch folder {}: {}; delete it by hand", folder, e.getMessage());
    }
  }
}
