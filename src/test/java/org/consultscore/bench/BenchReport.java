package org.consultscore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.job.SparkSessions;

/**
 * Combines one bench run's figures into a report. It takes the stage and job seconds from
 * run_log and adds sessions per second and the job JVM's peak resident memory. The floor ratio
 * is job seconds / bare scan seconds, and the peer ratio is metrics stage seconds / DuckDB
 * seconds, reported with the peer's agreement on the core metrics.
 */
public final class BenchReport {
  /** The job's stages in run order, as named in run_log. */
  public static final List<String> STAGES = List.of("ingest", "metrics", "scoring", "segments", "publish");

  /** Figures measured outside the job's JVM, or about the environment it ran in. */
  public record Measured(String date, String command, String data, long sessionsRequested, String master,
      String driverHeap, double processSeconds, long peakRssKb, String peakRssMethod, String loadAverage,
      int cores) {}

  /** Every field of the report; the bench smoke test checks that none is missing. */
  public record Report(String date, String command, String data, String runId, String status, String grain,
      List<String> periods, long sessionsRequested, long sessionRowsRead, long validSessions,
      Map<String, Double> stageSeconds, double jobSeconds, double processSeconds, double sessionsPerSecond,
      long peakRssMb, String peakRssMethod, String master, String driverHeap, int cores, String loadAverage,
      double floorSeconds, double floorRatio, double metricsSeconds, double peerSeconds, double peerRatio,
      boolean peerAgrees, long peerRows, long jobMetricRows, long peerMismatches, List<String> peerCompared,
      double peerTolerance, List<String> peerExamples, String duckdbVersion) {}

  private BenchReport() {}

  /**
   * Usage: {@code BenchReport --config FILE --floor FLOOR.json --peer PEER.json --sessions N
   * --process-seconds S --peak-rss-kb KB --peak-rss-method TEXT --command TEXT --data DIR
   * --driver-heap 6g --load-average TEXT --markdown FILE.md --json FILE.json}. Prints the
   * markdown report to stdout.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = BenchArgs.parse(args, "--config", "--floor", "--peer", "--sessions",
        "--process-seconds", "--peak-rss-kb", "--peak-rss-method", "--command", "--data", "--driver-heap",
        "--load-average", "--markdown", "--json");
    AppConfig config = ConfigLoader.load(Path.of(BenchArgs.required(options, "--config")));
    FloorScan.Result floor = BenchJson.read(Path.of(BenchArgs.required(options, "--floor")), FloorScan.Result.class);
    DuckDbPeer.Result peer = BenchJson.read(Path.of(BenchArgs.required(options, "--peer")), DuckDbPeer.Result.class);
    Measured measured = new Measured(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        BenchArgs.required(options, "--command"), BenchArgs.required(options, "--data"),
        Long.parseLong(BenchArgs.required(options, "--sessions")), config.sparkMaster(),
        BenchArgs.required(options, "--driver-heap"),
        Double.parseDouble(BenchArgs.required(options, "--process-seconds")),
        Long.parseLong(BenchArgs.required(options, "--peak-rss-kb")),
        BenchArgs.required(options, "--peak-rss-method"), options.getOrDefault("--load-average", "unknown"),
        Runtime.getRuntime().availableProcessors());
    SparkSession spark = SparkSessions.create(config);
    Report report;
    try {
      report = build(RunRecord.latest(spark, config), floor, peer, measured);
    } finally {
      spark.stop();
    }
    String markdown = markdown(report);
    Files.writeString(Path.of(BenchArgs.required(options, "--markdown")), markdown, StandardCharsets.UTF_8);
    BenchJson.write(Path.of(BenchArgs.required(options, "--json")), report);
    System.out.print(markdown);
  }

  /** Builds the report; the floor and peer results must come from the same input as the run. */
  public static Report build(RunRecord run, FloorScan.Result floor, DuckDbPeer.Result peer, Measured measured) {
    if (!peer.runId().equals(run.runId())) {
      throw new IllegalArgumentException("The peer result compares run " + peer.runId()
          + " but run_log's latest run is " + run.runId() + "; rerun the peer");
    }
    Map<String, Double> stages = new LinkedHashMap<>();
    for (String stage : STAGES) {
      if (run.stageSeconds().containsKey(stage)) {
        stages.put(stage, run.stageSeconds().get(stage));
      }
    }
    run.stageSeconds().forEach(stages::putIfAbsent);
    long rowsRead = floor.rows("sessions");
    double metricsSeconds = run.stageSeconds().getOrDefault("metrics", Double.NaN);
    DuckDbPeer.Comparison comparison = peer.comparison();
    return new Report(measured.date(), measured.command(), measured.data(), run.runId(), run.status(), run.grain(),
        run.periods().stream().map(Object::toString).toList(), measured.sessionsRequested(), rowsRead,
        run.stageRows().getOrDefault("ingest", -1L), stages, run.jobSeconds(), measured.processSeconds(),
        rowsRead / run.jobSeconds(), Math.round(measured.peakRssKb() / 1024.0), measured.peakRssMethod(),
        measured.master(), measured.driverHeap(), measured.cores(), measured.loadAverage(),
        floor.seconds(), run.jobSeconds() / floor.seconds(), metricsSeconds, peer.seconds(),
        metricsSeconds / peer.seconds(), comparison.agrees(), comparison.peerRows(), comparison.jobRows(),
        comparison.mismatches(), comparison.compared(), comparison.tolerance(), comparison.examples(),
        peer.duckdbVersion());
  }

  /** Renders the report as a markdown section. */
  public static String markdown(Report r) {
    List<String> lines = new ArrayList<>();
    String size = r.sessionsRequested() > 0
        ? String.format(Locale.ROOT, "%,d sessions requested", r.sessionsRequested())
        : "fixture from data-samples/";
    lines.add("## Bench " + r.date() + ": " + size);
    lines.add("");
    lines.add("Command: `" + r.command() + "`  ");
    lines.add("Data: `" + r.data() + "`, run `" + r.runId() + "` (" + r.status() + "), grain " + r.grain()
        + ", periods " + String.join(", ", r.periods()) + "  ");
    lines.add(String.format(Locale.ROOT, "Master %s, driver heap %s, %d cores, load average before the run %s",
        r.master(), r.driverHeap(), r.cores(), r.loadAverage()));
    lines.add("");

    lines.add("| figure | value |");
    lines.add("|---|---|");
    for (Map.Entry<String, Double> stage : r.stageSeconds().entrySet()) {
      lines.add(String.format(Locale.ROOT, "| stage %s | %.1f s |", stage.getKey(), stage.getValue()));
    }

    lines.add(String.format(Locale.ROOT, "| job total (run_log ended_at − started_at) | %.1f s |", r.jobSeconds()));
    lines.add(String.format(Locale.ROOT, "| job process wall time (JVM start to exit) | %.1f s |", r.processSeconds()));
    lines.add(String.format(Locale.ROOT, "| session rows read / valid | %,d / %,d |", r.sessionRowsRead(), r.validSessions()));
    lines.add(String.format(Locale.ROOT, "| sessions per second (rows read / job total) | %,.0f |", r.sessionsPerSecond()));
    lines.add(String.format(Locale.ROOT, "| peak resident memory of the job JVM | %,d MB (%s) |", r.peakRssMb(), r.peakRssMethod()));

    lines.add(String.format(Locale.ROOT, "| floor: bare Spark scan of the input columns | %.1f s |", r.floorSeconds()));
    lines.add(String.format(Locale.ROOT, "| floor ratio (job total / scan) | %.1f |", r.floorRatio()));
    lines.add(String.format(Locale.ROOT, "| peer: DuckDB %s, core metrics in SQL | %.1f s |", r.duckdbVersion(), r.peerSeconds()));
    lines.add(String.format(Locale.ROOT, "| peer ratio (metrics stage / DuckDB) | %.1f |", r.peerRatio()));
    lines.add(String.format(Locale.ROOT, "| peer agrees on %s (tolerance %.0e relative) | %s: %,d job rows, %,d peer rows, %,d mismatches |",
        String.join(", ", r.peerCompared()), r.peerTolerance(), r.peerAgrees() ? "yes" : "NO", r.jobMetricRows(),
        r.peerRows(), r.peerMismatches()));

    for (String example : r.peerExamples()) {
      lines.add("");
      lines.add("- mismatch: " + example);
    }
    lines.add("");
    return String.join("\n", lines);
  }
}
