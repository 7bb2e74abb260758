package org.consultscore.ingest;

import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.exchange.ReusedExchangeExec;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.config.Scratch;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/**
 * The ledger count reads the messages' scratch copy once, whatever the rows' categories: the
 * messages are the largest source, so each extra read is a full pass over them.
 */
class LedgerReadsTest {
  @TempDir
  static Path dir;

  private static final List<SparkPlan> plans = new CopyOnWriteArrayList<>();
  private static QualityReport quality;

  /** Listener that keeps the executed plan of each action of the session. */
  private static final class PlanRecorder implements QueryExecutionListener {
    @Override
    public void onSuccess(String action, QueryExecution execution, long durationNs) {
      plans.add(execution.executedPlan());
    }

    @Override
    public void onFailure(String action, QueryExecution execution, Exception exception) {}
  }

  @BeforeAll
  static void ingest() throws InterruptedException {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(session("s1").csv());
    Path messages = project.file("messages.csv",
        "session_id,sent_at,sender",
        "s1,2026-09-01 10:01:00,customer",
        "s1,2026-09-01 10:01:00,customer",
        "s1,2026-09-01 10:02:00,consultant",
        "s1,2026-09-01 11:00:00,consultant",
        "s1,2026-09-01 11:00:00,Consultant",
        "s9,2026-09-01 10:03:00,customer",
        "s1,2026-09-01 10:04:00,bot",
        "s1,2026-09-01 10:04:00,bot");
    project.source("messages", "format = csv\npath = \"" + messages
        + "\"\ntimestamp_format = \"yyyy-MM-dd HH:mm:ss\"");
    project.settings("quality.max_reject_rate = 1.0");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    PlanRecorder recorder = new PlanRecorder();
    spark.listenerManager().register(recorder);
    try (Scratch scratch = Scratch.of(spark, config, "ledger-reads")) {
      quality = Ingest.run(spark, config, scratch).quality();
      // The listener is called after the action returns, on another thread.
      for (int wait = 0; wait < 100 && ledgerPlan() == null; wait++) {
        Thread.sleep(100);
      }
    } finally {
      spark.listenerManager().unregister(recorder);
    }
  }

  /** Returns the executed plan of the ledger count, or null before the listener has it. */
  private static SparkPlan ledgerPlan() {
    return plans.stream().filter(plan -> plan.toString().contains("_quarantine_branch")).findFirst().orElse(null);
  }

  /**
   * Returns the number of file scans in the plan that read the column, looking into adaptive
   * query stages and subqueries. A reused exchange is not counted again, because it reads no file.
   */
  private static int scansReading(SparkPlan plan, String column) {
    int scans = 0;
    if (plan instanceof FileSourceScanExec scan
        && JavaConverters.seqAsJavaList(scan.output()).stream().anyMatch(a -> a.name().equals(column))) {
      scans++;
    }
    List<SparkPlan> inner = new ArrayList<>(JavaConverters.seqAsJavaList(plan.subqueries()));
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      inner.add(adaptive.executedPlan());
    } else if (plan instanceof QueryStageExec stage) {
      inner.add(stage.plan());
    } else if (!(plan instanceof ReusedExchangeExec)) {
      inner.addAll(JavaConverters.seqAsJavaList(plan.children()));
    }
    for (SparkPlan child : inner) {
      scans += scansReading(child, column);
    }
    return scans;
  }

  @Test
  void ledgerCountsEveryMessageCategory() {
    assertEquals(2, quality.count("messages", QualityReport.VALID), "valid messages");
    // One copy of the valid customer message and one of the late message, whose sender differs
    // in case only.
    assertEquals(2, quality.count("messages", QualityReport.DUPLICATE, Reasons.DUPLICATE), "duplicate copies");
    assertEquals(1, quality.count("messages", QualityReport.REJECTED, Reasons.MESSAGE_OUTSIDE_SESSION),
        "message after its session");
    assertEquals(1, quality.count("messages", QualityReport.REJECTED, Reasons.ORPHAN), "message of s9");
    // Every copy of a row the parser rejects counts under its reason.
    assertEquals(2, quality.count("messages", QualityReport.REJECTED, Reasons.BAD_ENUM), "sender bot");
  }

  @Test
  void ledgerReadsMessagesScratchOnce() {
    SparkPlan plan = ledgerPlan();
    assertNotNull(plan, "no executed plan of the ledger count among " + plans.size() + " actions");
    // Only the messages' scratch copy has the column _parse_reason.
    assertEquals(1, scansReading(plan, "_parse_reason"), plan.toString());
  }
}
