package org.consultscore.job;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;

/**
 * Builds the SparkSession of a run. Settings from spark-submit win; the config's spark block
 * fills only what the launcher left unset, so the same jar runs locally and on a cluster.
 */
public final class SparkSessions {
  /**
   * Settings the job sets unless the launcher or the config's spark block sets them: Delta's
   * extension and catalog, and Kryo for cached rows that spill to disk. Java serialization
   * read such rows back slowly in the metrics stage at 10 million sessions.
   */
  static final Map<String, String> JOB_DEFAULTS = Map.of(
      "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension",
      "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog",
      "spark.serializer", "org.apache.spark.serializer.KryoSerializer");

  private SparkSessions() {}

  public static SparkSession create(AppConfig config) {
    SparkConf launcher = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(config.sparkAppName());
    if (!launcher.contains("spark.master")) {
      builder.master(config.sparkMaster());
    }
    for (Map.Entry<String, String> setting : config.sparkConf().entrySet()) {
      if (!launcher.contains(setting.getKey())) {
        builder.config(setting.getKey(), setting.getValue());
      }
    }
    for (Map.Entry<String, String> setting : JOB_DEFAULTS.entrySet()) {
      if (!launcher.contains(setting.getKey()) && !config.sparkConf().containsKey(setting.getKey())) {
        builder.config(setting.getKey(), setting.getValue());
      }
    }
    SparkSession spark = builder.getOrCreate();
    configure(spark, config);
    return spark;
  }

  /**
   * Session settings every run needs: periods are cut and zone-less timestamps read in the
   * configured timezone, and unreadable values become null (and then quarantined) instead of
   * failing the job.
   */
  public static void configure(SparkSession spark, AppConfig config) {
    spark.conf().set("spark.sql.session.timeZone", config.timezone().getId());
    spark.conf().set("spark.sql.legacy.timeParserPolicy", "CORRECTED");
    spark.conf().set("spark.sql.ansi.enabled", "false");
  }
}
