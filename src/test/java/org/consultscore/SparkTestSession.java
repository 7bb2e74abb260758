package org.consultscore;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession all test classes share (local[2], Delta enabled, UI off, loopback
 * only), created through spark-testing-base so its DataFrame assertions are available.
 */
public final class SparkTestSession {
  private static Suite suite;

  private SparkTestSession() {}

  /** spark-testing-base's JUnit 4 base class, used as a helper object from JUnit 5. */
  static final class Suite extends JavaDataFrameSuiteBase {
    @Override
    public SparkConf conf() {
      return new SparkConf()
          .setMaster("local[2]")
          .setAppName("consultscore-tests")
          .set("spark.ui.enabled", "false")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1")
          .set("spark.sql.shuffle.partitions", "2")
          .set("spark.default.parallelism", "2")
          .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .set("spark.sql.session.timeZone", "Asia/Shanghai")
          .set("spark.sql.legacy.timeParserPolicy", "CORRECTED")
          // The status store keeps 1,000 SQL executions, jobs and stages and 100,000 tasks by
          // default. The suite never reads them, so it keeps few.
          .set("spark.sql.ui.retainedExecutions", "20")
          .set("spark.ui.retainedJobs", "50")
          .set("spark.ui.retainedStages", "50")
          .set("spark.ui.retainedTasks", "1000")
          .set("spark.databricks.delta.delta.log.cacheSize", "20")
          // As in conf/application.conf: Delta rebuilds the state of a test's tiny tables in 2
          // tasks, not 50, after each commit.
          .set("spark.databricks.delta.snapshotPartitions", "2")
          // Many test classes run the whole job, so the same plans repeat. Spark caches 100
          // compiled classes by default. With more, later runs reuse the classes of earlier ones.
          .set("spark.sql.codegen.cache.maxEntries", "5000");
    }

    @Override
    public boolean enableHiveSupport() {
      return false;
    }
  }

  public static synchronized JavaDataFrameSuiteBase suite() {
    if (suite == null) {
      suite = new Suite();
      suite.runBefore();
    }
    return suite;
  }

  /** Returns whether a test has started the shared session. */
  public static synchronized boolean isStarted() {
    return suite != null;
  }

  public static SparkSession spark() {
    return suite().spark();
  }

  /** Asserts equal rows in any order, with doubles compared to a tolerance. */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    String[] columns = expected.columns();
    Dataset<Row> left = expected.orderBy(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length));
    Dataset<Row> right = actual.select(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length))
        .orderBy(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length));
    suite().assertDataFrameApproximateEquals(left, right, 1e-9);
  }
}
