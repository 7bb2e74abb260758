package org.consultscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.consultscore.SampleConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs bench/run-bench.sh on the fixture from data-samples/ (about 4,000 sessions): fixture,
 * job, floor scan, DuckDB peer and report, each in its own JVM as at scale. It needs the
 * packaged jar, so it is an integration test, and its report goes to bench/results/ like that of
 * any other run.
 */
class BenchScriptIT {
  private static final Pattern REPORT_LINE = Pattern.compile("Report written to (\\S+\\.md) and (\\S+\\.json)");
  private static final long TIMEOUT_MINUTES = 15;

  @TempDir
  static Path dir;

  private static int exitCode;
  private static String output;
  private static Path markdown;
  private static BenchReport.Report report;

  @BeforeAll
  static void runScript() throws Exception {
    Path project = SampleConfig.projectDir();
    Path log = dir.resolve("run-bench.log");
    Process process = new ProcessBuilder("bash", "bench/run-bench.sh", "--fixture",
        "--data", dir.resolve("fixture").toString(), "--heap", "2g", "--peer-memory", "1GB")
        .directory(project.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new IllegalStateException("bench/run-bench.sh --fixture did not finish within " + TIMEOUT_MINUTES
          + " minutes; its output is in " + log);
    }
    exitCode = process.exitValue();
    output = Files.readString(log);
    Matcher files = REPORT_LINE.matcher(output);
    if (exitCode == 0 && files.find()) {
      markdown = project.resolve(files.group(1));
      report = BenchJson.read(project.resolve(files.group(2)), BenchReport.Report.class);
    }
  }

  @Test
  void scriptExitsZero() {
    assertEquals(0, exitCode, "bench/run-bench.sh --fixture failed:\n" + output);
  }

  @Test
  void fixtureHasGeneratorLayout() {
    Path data = dir.resolve("fixture");
    assertTrue(Files.isRegularFile(data.resolve(BenchFixture.CONFIG_FILE)), "config file");
    assertTrue(Files.isDirectory(data.resolve("sessions").resolve("date=2026-09-01")), "sessions partition");
    assertTrue(Files.isDirectory(data.resolve("work_time").resolve("date=2026-09-01")), "work_time partition");
    assertTrue(Files.isDirectory(data.resolve("consultants")), "roster folder");
  }

  @Test
  void reportHasEveryField() throws Exception {
    assertNotNull(report, "no 'Report written to' line with the report files:\n" + output);
    for (RecordComponent component : BenchReport.Report.class.getRecordComponents()) {
      assertNotNull(component.getAccessor().invoke(report), component.getName());
    }
    String text = Files.readString(markdown);
    for (String label : List.of("stage ingest", "job total", "sessions per second", "peak resident memory",
        "floor ratio", "peer ratio", "peer agrees")) {
      assertTrue(text.contains(label), "the report lacks '" + label + "':\n" + text);
    }
  }

  @Test
  void stageSecondsArePositive() {
    assertNotNull(report, "no report:\n" + output);
    assertEquals(BenchReport.STAGES, List.copyOf(report.stageSeconds().keySet()));
    report.stageSeconds().forEach((stage, seconds) -> assertTrue(seconds > 0, stage + " took " + seconds + " s"));
    assertTrue(report.jobSeconds() > 0, "job seconds");
    assertTrue(report.floorSeconds() > 0, "floor seconds");
    assertTrue(report.peerSeconds() > 0, "peer seconds");
    assertTrue(report.peakRssMb() > 0, "peak resident memory of the job's JVM");
  }

  @Test
  void sessionCountsMatchInput() {
    assertNotNull(report, "no report:\n" + output);
    assertEquals("succeeded", report.status());
    assertEquals(List.of("2026-09-01", "2026-10-01"), report.periods());
    assertTrue(report.sessionRowsRead() > 3_000, "rows read: " + report.sessionRowsRead());
    assertEquals(report.sessionRowsRead(), report.validSessions(), "the fixture holds valid sessions only");
  }

  @Test
  void duckDbPeerAgreesWithJob() {
    assertNotNull(report, "no report:\n" + output);
    assertEquals(0, report.peerMismatches(), "mismatches, first ones: " + report.peerExamples());
    assertTrue(report.jobMetricRows() > 0, "job rows");
    assertEquals(report.jobMetricRows(), report.peerRows(), "rows");
    assertEquals(DuckDbPeer.METRICS, report.peerCompared());
    assertTrue(report.peerAgrees(), "peer agrees");
  }
}
