package org.consultscore;

import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs after every test class (registered through JUnit's extension autodetection) and
 * drops what the shared SparkSession would otherwise keep for the rest of the suite: cached
 * Datasets with their plans, and Delta's table-log cache. Without it the test JVM's live
 * heap grew by about 150 MB a minute until Spark could no longer allocate memory pages.
 */
public final class SparkCleanup implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) {
    if (SparkTestSession.isStarted()) {
      SparkTestSession.spark().catalog().clearCache();
      DeltaLog.clearCache();
    }
  }
}
