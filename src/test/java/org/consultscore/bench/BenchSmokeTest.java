package org.consultscore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.config.RunContext;
import org.consultscore.job.NightlyJob;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the bench pipeline in-process on the fixture built from data-samples/ (about 4,000
 * sessions): fixture, job, floor scan, DuckDB peer and report, as bench/run-bench.sh does in
 * separate JVMs at scale.
 */
class BenchSmokeTest {
  @TempDir
  static Path dir;

  private static BenchReport.Report report;
  private static String markdown;
  private static Path fixtureConfig;

  @BeforeAll
  static void runBench() throws Exception {
    SparkSession spark = SparkTestSession.spark();
    Path project = SampleConfig.projectDir();
    AppConfig sample = ConfigLoader.load(BenchFixture.writeSampleConfig(project, dir.resolve("sample")));
    fixtureConfig = BenchFixture.write(spark, sample, project, dir.resolve("data"));
    AppConfig config = ConfigLoader.load(fixtureConfig);
    SparkSessions.configure(spark, config);

    long start = System.nanoTime();
    NightlyJob job = new NightlyJob(spark, config);
    RunContext run = job.plan(LocalDate.of(2026, 10, 1), "month");
    job.run(run);
    double processSeconds = (System.nanoTime() - start) / 1e9;

    FloorScan.Result floor = FloorScan.scan(spark, config);
    RunRecord record = RunRecord.latest(spark, config);
    DuckDbPeer.PeerMetrics peerMetrics = DuckDbPeer.compute(config, record.grain(), record.periods(), 2, "1GB");
    DuckDbPeer.Comparison comparison = DuckDbPeer.compare(spark, config, record.runId(), record.grain(), peerMetrics);
    DuckDbPeer.Result peer = new DuckDbPeer.Result(peerMetrics.seconds(), peerMetrics.validSessions(),
        peerMetrics.duckdbVersion(), 2, "1GB", record.runId(), comparison);

    // The script hands these results over as JSON files, so go through the same files here.
    BenchJson.write(dir.resolve("floor.json"), floor);
    BenchJson.write(dir.resolve("peer.json"), peer);
    floor = BenchJson.read(dir.resolve("floor.json"), FloorScan.Result.class);
    peer = BenchJson.read(dir.resolve("peer.json"), DuckDbPeer.Result.class);

    BenchReport.Measured measured = new BenchReport.Measured("2026-12-04T00:00:00Z", "BenchSmokeTest",
        dir.resolve("data").toString(), 4_000, "local[2]", "3g", processSeconds, peakRssKb(),
        "VmHWM of the test JVM", "unknown", Runtime.getRuntime().availableProcessors());
    report = BenchReport.build(record, floor, peer, measured);
    markdown = BenchReport.markdown(report);
  }

  private static long peakRssKb() throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(line -> line.startsWith("VmHWM:"))
          .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
          .findFirst().orElse(0L);
    }
  }

  @Test
  void fixtureHasGeneratorLayout() {
    Path data = dir.resolve("data");
    assertTrue(Files.isRegularFile(data.resolve(BenchFixture.CONFIG_FILE)), "config file");
    assertTrue(Files.isDirectory(data.resolve("sessions").resolve("date=2026-09-01")), "sessions partition");
    assertTrue(Files.isDirectory(data.resolve("work_time").resolve("date=2026-09-01")), "work_time partition");
    assertTrue(Files.isDirectory(data.resolve("consultants")), "roster folder");
  }

  @Test
  void reportHasEveryField() throws Exception {
    for (RecordComponent component : BenchReport.Report.class.getRecordComponents()) {
      assertNotNull(component.getAccessor().invoke(report), component.getName());
    }
    for (String label : List.of("stage ingest", "job total", "sessions per second", "peak resident memory",
        "floor ratio", "peer ratio", "peer agrees")) {
      assertTrue(markdown.contains(label), "markdown lacks '" + label + "':\n" + markdown);
    }
  }

  @Test
  void stageSecondsArePositive() {
    assertEquals(BenchReport.STAGES, List.copyOf(report.stageSeconds().keySet()));
    report.stageSeconds().forEach((stage, seconds) -> assertTrue(seconds > 0, stage + " took " + seconds + " s"));
    assertTrue(report.jobSeconds() > 0, "job seconds");
    assertTrue(report.floorSeconds() > 0, "floor seconds");
    assertTrue(report.peerSeconds() > 0, "peer seconds");
    assertTrue(report.peakRssMb() > 0, "peak resident memory");
  }

  @Test
  void sessionCountsMatchInput() {
    assertEquals("succeeded", report.status());
    assertEquals(List.of("2026-09-01", "2026-10-01"), report.periods());
    assertTrue(report.sessionRowsRead() > 3_000, "rows read: " + report.sessionRowsRead());
    assertEquals(report.sessionRowsRead(), report.validSessions(), "the fixture holds valid sessions only");
  }

  @Test
  void duckDbPeerAgreesWithJob() {
    assertEquals(0, report.peerMismatches(), "mismatches, first ones: " + report.peerExamples());
    assertTrue(report.jobMetricRows() > 0, "job rows");
    assertEquals(report.jobMetricRows(), report.peerRows(), "rows");
    assertEquals(DuckDbPeer.METRICS, report.peerCompared());
    assertTrue(report.peerAgrees(), "peer agrees");
  }

  @Test
  void peerToleranceRules() {
    assertTrue(DuckDbPeer.agree(120.5, 120.5 + 1e-9, false), "double within tolerance");
    assertTrue(!DuckDbPeer.agree(120.5, 120.6, false), "double outside tolerance");
    assertTrue(!DuckDbPeer.agree(30.0, 31.0, true), "counts differ");
    assertTrue(DuckDbPeer.agree(null, null, false), "both null");
    assertTrue(!DuckDbPeer.agree(null, 0.0, false), "null against zero");
  }
}
