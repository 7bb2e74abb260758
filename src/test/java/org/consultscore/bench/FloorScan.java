package org.consultscore.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.config.SourceConfig;
import org.consultscore.ingest.ContractColumnNames;
import org.consultscore.job.SparkSessions;

/**
 * The floor of the benchmark: a bare Spark scan of the input columns the job reads. For every
 * configured source it reads the same files, selects the contract columns present in them,
 * and computes the row count and the maximum {@code xxhash64} over those columns, so every
 * value of every column is decoded. No checks, joins or writes.
 */
public final class FloorScan {
  /** Rows, columns and seconds of one source's scan. */
  public record SourceScan(String source, long rows, List<String> columns, double seconds) {}

  /** Seconds of the whole scan and each source's part. */
  public record Result(double seconds, List<SourceScan> sources) {
    public long rows(String source) {
      return sources.stream().filter(s -> s.source().equals(source)).mapToLong(SourceScan::rows).sum();
    }
  }

  private FloorScan() {}

  /** Usage: {@code FloorScan --config FILE --output FILE.json}. */
  public static void main(String[] args) throws IOException {
    Map<String, String> options = BenchArgs.parse(args, "--config", "--output");
    AppConfig config = ConfigLoader.load(Path.of(BenchArgs.required(options, "--config")));
    SparkSession spark = SparkSessions.create(config);
    try {
      Result result = scan(spark, config);
      BenchJson.write(Path.of(BenchArgs.required(options, "--output")), result);
      System.out.printf(java.util.Locale.ROOT, "Floor scan: %.1f s%n", result.seconds());
    } finally {
      spark.stop();
    }
  }

  /** Scans every configured source once and returns the seconds it took. */
  public static Result scan(SparkSession spark, AppConfig config) {
    List<SourceScan> scans = new ArrayList<>();
    long start = System.nanoTime();
    for (SourceConfig source : config.sources().values()) {
      scans.add(scanSource(spark, source));
    }
    return new Result((System.nanoTime() - start) / 1e9, scans);
  }

  private static SourceScan scanSource(SparkSession spark, SourceConfig source) {
    long start = System.nanoTime();
    DataFrameReader reader = spark.read().format(source.format());
    for (Map.Entry<String, String> option : source.options().entrySet()) {
      reader = reader.option(option.getKey(), option.getValue());
    }
    Dataset<Row> raw = reader.load(source.path());
    List<String> columns = inputColumns(source, Arrays.asList(raw.columns()));
    if (columns.isEmpty()) {
      throw new IllegalStateException("Floor scan: source " + source.name() + " at " + source.path()
          + " has none of its contract columns; found " + Arrays.toString(raw.columns()));
    }
    Column[] selected = columns.stream().map(name -> col("`" + name + "`")).toArray(Column[]::new);
    Row row = raw.agg(count(lit(1)), max(xxhash64(selected))).first();
    return new SourceScan(source.name(), row.getLong(0), columns, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Returns the input columns behind the source's contract columns: the mapped column when the
   * mapping names an input column, else the column of the contract name. A column mapped to an
   * SQL expression is left out, because the scan reads columns only.
   */
  static List<String> inputColumns(SourceConfig source, List<String> present) {
    Map<String, String> chosen = new LinkedHashMap<>();
    for (String name : ContractColumnNames.of(source.name())) {
      String mapping = source.columns().get(name);
      String input = mapping != null && present.contains(mapping) ? mapping : name;
      if (present.contains(input)) {
        chosen.put(name, input);
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(chosen.values()));
  }
}
