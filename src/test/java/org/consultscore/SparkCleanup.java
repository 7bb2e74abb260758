package org.consultscore;

import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension, autodetected, that clears Spark's cached Datasets and Delta's log cache
 * after each test class. Without it the suite's live heap grew until Spark could not allocate pages.
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
