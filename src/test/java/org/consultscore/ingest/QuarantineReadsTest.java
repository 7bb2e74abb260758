package org.consultscore.ingest;

import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarantine reads only the sources where the ledger counted quarantined rows, so a large
 * source without bad rows is not read again to look for them.
 */
class QuarantineReadsTest {
  @TempDir
  static Path dir;

  private static IngestResult result;
  private static Path messagesFile;

  @BeforeAll
  static void ingest() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(
        session("s1").csv(),
        session("s2").with("ended_at", "2026-09-01 09:00:00").csv());
    messagesFile = project.file("messages.csv",
        "session_id,sent_at,sender",
        "s1,2026-09-01 10:01:00,customer",
        "s1,2026-09-01 10:02:00,consultant");
    project.source("messages", "format = csv\npath = \"" + messagesFile
        + "\"\ntimestamp_format = \"yyyy-MM-dd HH:mm:ss\"");
    project.settings("quality.max_reject_rate = 1.0");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);
    result = Ingest.run(spark, config);
  }

  @Test
  void quarantineHasRejectedSession() {
    List<Row> rows = result.quarantine().collectAsList();
    assertEquals(1, rows.size(), "quarantine rows");
    assertEquals(Reasons.NEGATIVE_DURATION, rows.get(0).getAs("reason"), "reason of s2");
  }

  @Test
  void quarantineSkipsCleanSource() {
    String plan = result.quarantine().queryExecution().optimizedPlan().toString();
    assertFalse(plan.contains(messagesFile.getFileName().toString()), "messages file in the plan:\n" + plan);
    assertEquals(2, result.messages().count(), "valid messages");
  }
}
