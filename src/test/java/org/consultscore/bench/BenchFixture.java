package org.consultscore.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.ingest.ContractColumnNames;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.job.SparkSessions;

/**
 * Writes a small benchmark input in the layout of {@code generate --scale}: the valid rows of
 * data-samples/ as Parquet, one folder per source partitioned by local date
 * ({@code DIR/<source>/date=YYYY-MM-DD/part-*.parquet}), the roster in {@code DIR/consultants/},
 * and a config {@code DIR/consultscore.conf} whose output is {@code DIR/warehouse}.
 *
 * <p>The rows go through the job's own ingest first, so the fixture holds only rows that pass
 * the contract's checks, with the contract's column names and types.
 */
public final class BenchFixture {
  /** Name of the config file inside the data folder, as the scale generator writes it. */
  public static final String CONFIG_FILE = "consultscore.conf";

  /** Column whose local date partitions each source; consultants are not partitioned. */
  private static final Map<String, String> DATE_COLUMNS = dateColumns();

  private BenchFixture() {}

  private static Map<String, String> dateColumns() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("sessions", "started_at");
    columns.put("surveys", "submitted_at");
    columns.put("messages", "sent_at");
    columns.put("qa_audits", "audited_at");
    columns.put("reviews", "reviewed_at");
    columns.put("outcomes", "occurred_at");
    columns.put("work_time", "work_date");
    return columns;
  }

  /**
   * Usage: {@code BenchFixture --output DIR [--project DIR]}. The project folder (default: the
   * working directory) supplies data-samples/ and conf/.
   */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = BenchArgs.parse(args, "--output", "--project");
    Path output = Path.of(BenchArgs.required(options, "--output")).toAbsolutePath();
    Path project = Path.of(options.getOrDefault("--project", ".")).toAbsolutePath().normalize();
    Path sampleConfig = writeSampleConfig(project, output.resolve("sample-ingest"));
    AppConfig config = ConfigLoader.load(sampleConfig);
    SparkSession spark = SparkSessions.create(config);
    try {
      Path written = write(spark, config, project, output);
      System.out.println("Wrote the benchmark fixture and its config " + written);
    } finally {
      spark.stop();
    }
  }

  /**
   * Writes a config that reads data-samples/ like conf/application.conf, with its output in
   * {@code scratch}, and returns its path. The fixture only ingests with it and publishes nothing.
   */
  public static Path writeSampleConfig(Path project, Path scratch) throws IOException {
    Path conf = project.resolve("conf");
    String text = "include file(\"" + conf.resolve("application.conf") + "\")\n"
        + "scoring_file = \"" + conf.resolve("scoring.conf") + "\"\n"
        + "output.path = \"" + scratch.resolve("warehouse") + "\"\n"
        + "spark.master = \"local[2]\"\n";
    Files.createDirectories(scratch);
    // Paths in conf/application.conf are relative to the project folder, so rewrite them.
    text += sampleSourcePaths(project);
    return Files.writeString(scratch.resolve("application.conf"), text, StandardCharsets.UTF_8);
  }

  private static String sampleSourcePaths(Path project) {
    Map<String, String> files = Map.of(
        "sessions", "sessions.csv", "surveys", "surveys.jsonl", "consultants", "consultants.csv",
        "messages", "messages.csv", "qa_audits", "qa_audits.jsonl", "reviews", "reviews.csv",
        "outcomes", "outcomes.jsonl", "work_time", "work_time.csv");
    StringBuilder text = new StringBuilder();
    files.forEach((source, file) -> text.append("sources.").append(source).append(".path = \"")
        .append(project.resolve("data-samples").resolve(file)).append("\"\n"));
    return text.toString();
  }

  /**
   * Ingests data-samples/ with {@code sampleConfig} and writes the fixture into {@code output}.
   * Returns the path of the fixture's config.
   */
  public static Path write(SparkSession spark, AppConfig sampleConfig, Path project, Path output)
      throws IOException {
    SparkSessions.configure(spark, sampleConfig);
    IngestResult input = Ingest.run(spark, sampleConfig);
    writeSource(spark, "sessions", input.sessions(), output);
    writeSource(spark, "surveys", input.surveys().withColumn("comment", lit(null).cast("string")), output);
    writeSource(spark, "messages", input.messages(), output);
    writeSource(spark, "qa_audits", input.qaAudits(), output);
    writeSource(spark, "reviews", input.reviews(), output);
    // Ingest replaces an outcome's session_id with the session it is attributed to and drops
    // customer_id, which the contract allows when session_id is given.
    writeSource(spark, "outcomes", input.outcomes().withColumn("customer_id", lit(null).cast("string")), output);
    writeSource(spark, "work_time", input.workTime(), output);
    writeSource(spark, "consultants", input.consultants(), output);
    return writeConfig(project, output);
  }

  private static void writeSource(SparkSession spark, String source, Dataset<Row> rows, Path output) {
    Dataset<Row> contract = rows.select(ContractColumnNames.of(source).stream().map(c -> col(c))
        .toArray(org.apache.spark.sql.Column[]::new));
    String folder = output.resolve(source).toString();
    String dateColumn = DATE_COLUMNS.get(source);
    if (dateColumn == null) {
      contract.coalesce(1).write().mode(SaveMode.Overwrite).parquet(folder);
      return;
    }
    // to_date cuts the day in the session time zone, which the job sets to the config's timezone.
    contract.withColumn("date", to_date(col(dateColumn)))
        .repartition(col("date"))
        .write().mode(SaveMode.Overwrite).partitionBy("date").parquet(folder);
  }

  /** Writes {@code output/consultscore.conf}, with the sample config's metric settings. */
  static Path writeConfig(Path project, Path output) throws IOException {
    StringBuilder sources = new StringBuilder();
    for (String source : new String[] {"sessions", "surveys", "consultants", "messages", "qa_audits",
        "reviews", "outcomes", "work_time"}) {
      sources.append("  ").append(source).append(" { format = parquet, path = \"")
          .append(output.resolve(source)).append("\" }\n");
    }
    String text = "# Benchmark fixture: the valid rows of data-samples/ as Parquet partitioned by local date.\n"
        + "timezone = \"Asia/Shanghai\"\n"
        + "period { grain = month, lookback_periods = 1, settle_days = 7 }\n"
        + "metrics {\n"
        + "  sla_seconds = 60\n"
        + "  sla_seconds_by_channel { email = 14400 }\n"
        + "  csat_scale = 5\n"
        + "  satisfied_threshold = 4\n"
        + "}\n"
        + "sources {\n" + sources + "}\n"
        + "output {\n"
        + "  path = \"" + output.resolve("warehouse") + "\"\n"
        + "  database = consultscore_bench\n"
        + "  pseudonym_key = \"bench-fixture-key\"\n"
        + "}\n"
        + "spark {\n"
        + "  master = \"local[2]\"\n"
        + "  conf {\n"
        + "    \"spark.sql.shuffle.partitions\" = 8\n"
        + "    \"spark.databricks.delta.snapshotPartitions\" = 2\n"
        + "    \"spark.ui.enabled\" = false\n"
        + "    \"spark.driver.host\" = \"127.0.0.1\"\n"
        + "    \"spark.driver.bindAddress\" = \"127.0.0.1\"\n"
        + "  }\n"
        + "}\n"
        + "scoring_file = \"" + project.resolve("conf").resolve("scoring.conf") + "\"\n";
    Files.createDirectories(output);
    return Files.writeString(output.resolve(CONFIG_FILE), text, StandardCharsets.UTF_8);
  }
}
