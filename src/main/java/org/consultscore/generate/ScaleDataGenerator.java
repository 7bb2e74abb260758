package org.consultscore.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes synthetic data for every source of the data contract at a requested scale, inside
 * Spark: rows are computed from {@code spark.range} with built-in functions and written by the
 * executors, so only the roster is built on the driver. The layout is that of a landing zone,
 * {@code <dir>/<source>/date=YYYY-MM-DD/part-*} for the dated sources and
 * {@code <dir>/consultants/part-*} for the roster, with the contract's column names. It also
 * writes {@code consultscore.conf} and {@code scoring.conf} (see {@link ScaleConfigWriter}) and
 * planted_profiles.csv. The same options and seed give the same rows.
 */
public final class ScaleDataGenerator {
  /** Sources in the order they are written; consultants is the only one without dates. */
  public static final List<String> SOURCES = List.of("consultants", "sessions", "messages", "surveys",
      "qa_audits", "reviews", "outcomes", "work_time");
  private static final String SESSION_TIME_ZONE = "spark.sql.session.timeZone";

  /** Rows written to one source and the seconds the writing took. */
  public record SourceSummary(String source, long rows, double seconds) {}

  private final SparkSession spark;
  private final ScaleOptions options;

  public ScaleDataGenerator(SparkSession spark, ScaleOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /**
   * Writes every source, the config files and planted_profiles.csv into {@code directory},
   * replacing the folders of earlier runs, and reports each source to {@code progress} once
   * it is written. Returns the summaries in the order of {@link #SOURCES}.
   */
  public List<SourceSummary> write(Path directory, Consumer<SourceSummary> progress) throws IOException {
    Path dir = directory.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    String previousZone = spark.conf().get(SESSION_TIME_ZONE);
    spark.conf().set(SESSION_TIME_ZONE, SampleDataGenerator.ZONE.getId());
    try {
      ScaleRoster roster = new ScaleRoster(options.seed(), options.consultants(), options.firstDay());
      ScaleSources sources = new ScaleSources(spark, options, roster);
      Files.write(dir.resolve("planted_profiles.csv"), roster.plantedProfiles(), StandardCharsets.UTF_8);

      List<SourceSummary> summaries = new ArrayList<>();
      Consumer<SourceSummary> record = summary -> {
        summaries.add(summary);
        progress.accept(summary);
      };
      record.accept(write(dir, "consultants", () -> roster.consultants(spark), false));

      // Cached because the sessions, their messages, surveys, audits and outcomes read it.
      Dataset<Row> plan = sources.sessionPlan().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        record.accept(write(dir, "sessions", () -> sources.sessions(plan), true));
        record.accept(write(dir, "messages", () -> sources.messages(plan), () -> sources.messageCount(plan)));
        record.accept(write(dir, "surveys", () -> sources.surveys(plan), true));
        record.accept(write(dir, "qa_audits", () -> sources.audits(plan), true));
        record.accept(write(dir, "reviews", sources::reviews, true));
        record.accept(write(dir, "outcomes", () -> sources.outcomes(plan), true));
        record.accept(write(dir, "work_time", sources::workTime, true));
      } finally {
        plan.unpersist();
      }
      new ScaleConfigWriter(options).write(dir);
      return summaries;
    } finally {
      spark.conf().set(SESSION_TIME_ZONE, previousZone);
    }
  }

  private SourceSummary write(Path dir, String source, Supplier<Dataset<Row>> rows, boolean dated) {
    long started = System.nanoTime();
    Dataset<Row> data = rows.get();
    save(data, dir.resolve(source), dated);
    long count = data.count();
    return new SourceSummary(source, count, (System.nanoTime() - started) / 1e9);
  }

  /** Writes messages and counts them from the sessions' message counts, which avoids exploding them twice. */
  private SourceSummary write(Path dir, String source, Supplier<Dataset<Row>> rows, Supplier<Long> count) {
    long started = System.nanoTime();
    save(rows.get(), dir.resolve(source), true);
    long written = count.get();
    return new SourceSummary(source, written, (System.nanoTime() - started) / 1e9);
  }

  private void save(Dataset<Row> rows, Path folder, boolean dated) {
    DataFrameWriter<Row> writer = rows.write().format(options.format()).mode(SaveMode.Overwrite);
    if (dated) {
      writer = writer.partitionBy(ScaleSources.DATE);
    }
    switch (options.format()) {
      case "csv" -> writer = writer.option("header", "true").option("encoding", "UTF-8");
      case "json" -> writer = writer.option("ignoreNullFields", "false");
      case "delta" -> writer = writer.option("overwriteSchema", "true");
      default -> { }
    }
    writer.save(folder.toString());
  }
}
