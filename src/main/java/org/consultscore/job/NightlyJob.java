package org.consultscore.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.Errors;
import org.consultscore.config.RunContext;
import org.consultscore.config.Scratch;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.ingest.QualityReport;
import org.consultscore.metrics.Metrics;
import org.consultscore.publish.Publisher;
import org.consultscore.publish.Tables;
import org.consultscore.scoring.MetricCatalogTable;
import org.consultscore.scoring.Scoring;
import org.consultscore.scoring.TeamScores;
import org.consultscore.segments.Segments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nightly run: ingest, metrics, scoring, segments, publish. Nothing is written before
 * every stage has succeeded; a failure is recorded in run_log and re-raised.
 */
public final class NightlyJob {
  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);

  private final SparkSession spark;
  private final AppConfig config;
  private final Publisher publisher;

  public NightlyJob(SparkSession spark, AppConfig config) {
    this.spark = spark;
    this.config = config;
    this.publisher = new Publisher(spark, config.outputPath(), config.database());
  }

  /** Builds the run's periods from a date inside the target period (null: the last complete period). */
  public RunContext plan(LocalDate dateInPeriod, String grainOverride) {
    String grain = grainOverride == null ? config.grain() : grainOverride;
    LocalDate today = LocalDate.now(config.timezone());
    LocalDate target = dateInPeriod == null ? RunContext.lastCompletePeriod(today, grain) : dateInPeriod;
    return RunContext.of(newRunId(), grain, target, config.lookbackPeriods(), today, config.settleDays());
  }

  public RunResult run(RunContext run) {
    if (config.pseudonymKey().isBlank()) {
      throw Errors.invalidConfig(config.file().toString(), "output.pseudonym_key",
          "is empty; set the environment variable CONSULTSCORE_PSEUDONYM_KEY (or the key) to a secret string");
    }
    Instant startedAt = Instant.now();
    LOG.info("Run {}: {} periods {} (target {}), timezone {}, rules {}", run.runId(), run.grain(), run.periods(),
        run.target(), config.timezone(), config.scoring().rulesVersion());
    StageTimer stages = new StageTimer(spark, run.runId());
    // Spark serves a cached plan to any later query with the same plan, so an earlier run in
    // this session would hand back its inputs as they were then, hiding late-arriving rows.
    spark.catalog().clearCache();
    try (Scratch scratch = Scratch.of(spark, config, run.runId())) {
      RunResult result = stages(run, stages, startedAt, scratch);
      recordRun(run, startedAt, "succeeded", stages, result.segmentNotes(), null);
      return result;
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception that Scala code throws undeclared, so
      // catching RuntimeException would miss it. The rethrow passes on what was caught.
      LOG.error("Run {} failed: {}", run.runId(), e.getMessage());
      recordFailure(run, startedAt, stages, e);
      throw e;
    }
  }

  private RunResult stages(RunContext run, StageTimer stages, Instant startedAt, Scratch scratch) {
    IngestResult input = stages.run("ingest", "read and validate the sources", unused -> {
      IngestResult result = Ingest.run(spark, config, scratch);
      QualityReport quality = result.quality();
      return new StageTimer.Outcome<>(result, quality.count("sessions", QualityReport.VALID),
          String.format(Locale.ROOT, "%,d session rows read, %,d rejected, %,d duplicates", quality.count("sessions", QualityReport.READ),
              quality.count("sessions", QualityReport.REJECTED), quality.count("sessions", QualityReport.DUPLICATE)));
    });

    Metrics.Result metrics = stages.run("metrics", "session facts, consultant and group metrics", unused -> {
      Metrics.Inputs inputs = new Metrics.Inputs(input.sessions(), input.surveys(), input.messages(),
          input.qaAudits(), input.reviews(), input.outcomes(), input.workTime());
      Metrics.Result result = Metrics.run(inputs, config, run, scratch);
      long facts = result.sessionFacts().count();
      logEmptyPeriods(run, result.consultantMetrics());
      return new StageTimer.Outcome<>(result, result.consultantMetrics().count(),
          String.format(Locale.ROOT, "%,d sessions in the run's periods", facts));
    });

    Scoring.Result scoring = stages.run("scoring", "scores, ranks and grades", unused -> {
      Scoring.Result result = Scoring.score(metrics.consultantMetrics(), config.scoring(), run.grain(),
          publishedComposites(run));
      long scored = result.scores().filter(col("composite").isNotNull()).count();
      return new StageTimer.Outcome<>(result, result.scores().count(), String.format(Locale.ROOT, "%,d scored", scored));
    });
    Dataset<Row> scores = scoring.scores();

    Segments.Result segments = stages.run("segments", "performance profiles", unused -> {
      Segments.Result result = Segments.run(spark, scores, config.scoring(), run.grain(), run.periods(),
          published(Tables.SEGMENT_PROFILES, run), published(Tables.CONSULTANT_SEGMENTS, run));
      return new StageTimer.Outcome<>(result, result.members().count(), "");
    });

    Map<String, String> locations = stages.run("publish", "Delta tables", unused -> {
      long written = publish(run, input, metrics, scoring, segments);
      Map<String, String> tables = new LinkedHashMap<>();
      for (String table : Tables.PERIOD_TABLES) {
        tables.put(publisher.qualifiedName(table), publisher.location(table));
      }
      tables.put(publisher.qualifiedName(Tables.METRIC_CATALOG), publisher.location(Tables.METRIC_CATALOG));
      tables.put(publisher.qualifiedName(Tables.RUN_LOG), publisher.location(Tables.RUN_LOG));
      return new StageTimer.Outcome<>(tables, written, (Tables.PERIOD_TABLES.size() + 1) + " tables");
    });

    double total = (Instant.now().toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    return new RunResult(run, scores, segments.profiles(), input.quality(), segments.notes(), stages.rows(),
        stages.seconds(), locations, total);
  }

  private long publish(RunContext run, IngestResult input, Metrics.Result metrics, Scoring.Result scoring,
      Segments.Result segments) {
    String version = config.scoring().rulesVersion();
    List<LocalDate> target = List.of(run.target());
    Dataset<Row> teams = TeamScores.of(scoring.scores(), run.grain(), publishedTeams(run));
    Dataset<Row> quarantine = input.quarantine()
        .withColumn("period_grain", lit(run.grain()))
        .withColumn("period_start", lit(Date.valueOf(run.target())));
    Map<String, Supplier<Long>> writes = new LinkedHashMap<>();
    writes.put(Tables.SESSION_FACTS, () -> publisher.replacePeriods(Tables.SESSION_FACTS, metrics.sessionFacts(),
        run.grain(), run.periods(), run.runId(), null));
    writes.put(Tables.CONSULTANT_METRICS, () -> publisher.replacePeriods(Tables.CONSULTANT_METRICS,
        metrics.consultantMetrics(), run.grain(), run.periods(), run.runId(), null));
    writes.put(Tables.GROUP_METRICS, () -> publisher.replacePeriods(Tables.GROUP_METRICS, metrics.groupMetrics(),
        run.grain(), run.periods(), run.runId(), null));
    writes.put(Tables.CONSULTANT_SCORES, () -> publisher.replacePeriods(Tables.CONSULTANT_SCORES, scoring.scores(),
        run.grain(), run.periods(), run.runId(), version));
    writes.put(Tables.SCORE_WEIGHTS, () -> publisher.replacePeriods(Tables.SCORE_WEIGHTS, scoring.weights(),
        run.grain(), run.periods(), run.runId(), version));
    writes.put(Tables.TEAM_SCORES, () -> publisher.replacePeriods(Tables.TEAM_SCORES, teams,
        run.grain(), run.periods(), run.runId(), version));
    writes.put(Tables.CONSULTANT_SEGMENTS, () -> publisher.replacePeriods(Tables.CONSULTANT_SEGMENTS,
        segments.members(), run.grain(), run.periods(), run.runId(), version));
    writes.put(Tables.SEGMENT_PROFILES, () -> publisher.replacePeriods(Tables.SEGMENT_PROFILES, segments.profiles(),
        run.grain(), run.periods(), run.runId(), version));
    writes.put(Tables.SEGMENT_TRANSITIONS, () -> publisher.replacePeriods(Tables.SEGMENT_TRANSITIONS,
        segments.transitions(), run.grain(), run.periods(), run.runId(), version));
    writes.put(Tables.DATA_QUALITY, () -> publisher.replacePeriods(Tables.DATA_QUALITY,
        QualityTable.of(spark, input.quality(), run), run.grain(), target, run.runId(), null));
    writes.put(Tables.QUARANTINE, () -> publisher.replacePeriods(Tables.QUARANTINE, quarantine,
        run.grain(), target, run.runId(), null));
    // One row per metric, replaced as a whole: it describes the rules of the latest run.
    writes.put(Tables.METRIC_CATALOG, () -> publisher.replaceAll(Tables.METRIC_CATALOG,
        MetricCatalogTable.of(spark, config.scoring(), run.grain(), run.target()), run.runId(), version));
    return publisher.writeAll(writes).values().stream().mapToLong(Long::longValue).sum();
  }

  private void logEmptyPeriods(RunContext run, Dataset<Row> consultantMetrics) {
    List<Row> present = consultantMetrics.select("period_start").distinct().collectAsList();
    for (LocalDate period : run.periods()) {
      boolean found = present.stream().anyMatch(r -> r.getDate(0).toLocalDate().equals(period));
      if (!found) {
        LOG.warn("Period {} {}: no valid sessions in the input; its tables are published empty", run.grain(), period);
      }
    }
  }

  /** Composites published before this run for the same grain, for the trend. */
  private Dataset<Row> publishedComposites(RunContext run) {
    Dataset<Row> published = publisher.read(Tables.CONSULTANT_SCORES);
    if (published == null) {
      return null;
    }
    return published.filter(col("period_grain").equalTo(run.grain()))
        .select("consultant_id", "period_start", "composite");
  }

  /**
   * Returns the rows of a published table for the run's grain, or null before its first run.
   * The segments stage continues segment ids and transitions from them.
   */
  private Dataset<Row> published(String table, RunContext run) {
    Dataset<Row> rows = publisher.read(table);
    return rows == null ? null : rows.filter(col("period_grain").equalTo(run.grain()));
  }

  /** Team composite means published before this run for the same grain, for the team trend. */
  private Dataset<Row> publishedTeams(RunContext run) {
    Dataset<Row> published = publisher.read(Tables.TEAM_SCORES);
    if (published == null) {
      return null;
    }
    return published.filter(col("period_grain").equalTo(run.grain()))
        .select("team_id", "period_start", "composite_mean");
  }

  private void recordFailure(RunContext run, Instant startedAt, StageTimer stages, Exception error) {
    try {
      recordRun(run, startedAt, "failed", stages, Map.of(), error.getMessage());
    } catch (Exception logError) {
      LOG.warn("Run {}: could not record the failure in run_log", run.runId(), logError);
    }
  }

  private void recordRun(RunContext run, Instant startedAt, String status, StageTimer stages,
      Map<LocalDate, String> notes, String error) {
    List<String> noteLines = new ArrayList<>();
    notes.forEach((period, note) -> noteLines.add("segments " + period + ": " + note));
    Row row = RowFactory.create(
        run.runId(), run.grain(), Date.valueOf(run.target()),
        run.periods().stream().map(Date::valueOf).toList().toArray(new Date[0]),
        Timestamp.from(startedAt), Timestamp.from(Instant.now()), status,
        config.scoring().rulesVersion(), config.digest(),
        stages.rows(),
        stages.seconds(),
        noteLines.toArray(new String[0]), error);
    Dataset<Row> log = spark.createDataFrame(List.of(row), RunLogSchema.SCHEMA);
    publisher.append(Tables.RUN_LOG, log);
  }

  private static String newRunId() {
    String time = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(java.time.ZoneOffset.UTC)
        .format(Instant.now());
    return time + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
