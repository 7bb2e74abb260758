package org.consultscore.bench;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.config.SourceConfig;
import org.consultscore.job.SparkSessions;
import org.consultscore.publish.Publisher;
import org.consultscore.publish.Tables;

/**
 * The peer of the benchmark: DuckDB computes the core metrics per consultant and period with
 * SQL from the same Parquet files the job reads. The result is compared with the job's
 * consultant_metrics table. Spark reads that Delta table, because DuckDB's Delta extension
 * cannot be downloaded here.
 *
 * <p>The SQL applies the contract's row checks of sessions and surveys that these metrics
 * depend on (required columns, timestamps in [quality.min_year, quality.max_year], enums,
 * booleans, message counts, time order, max_session_hours, csat and nps ranges, orphan and
 * early surveys), keeps one session per session_id (latest ended_at, then latest
 * first_response_at) and counts the latest survey of each session. Medians are the value at
 * rank ceil(n / 2) of the n values in ascending order, the definition of the metrics.
 */
public final class DuckDbPeer {
  /** Metric columns compared, in the order of consultant_metrics. */
  public static final List<String> METRICS = List.of("sessions", "outbound_sessions", "answered_sessions",
      "frt_median_s", "sla_rate", "aht_median_s", "resolution_rate", "transfer_rate", "surveys", "csat_mean");
  /** Count columns, which must be equal. The other metrics are doubles compared to {@link #TOLERANCE}. */
  static final List<String> COUNTS = List.of("sessions", "outbound_sessions", "answered_sessions", "surveys");
  /** Allowed difference of a double metric, relative to max(1, |job value|). */
  public static final double TOLERANCE = 1e-9;
  private static final List<String> SURVEY_METRICS = List.of("surveys", "csat_mean");
  private static final int MAX_EXAMPLES = 5;

  /** The peer's metrics per "consultant_id|period_start", and the seconds DuckDB took. */
  public record PeerMetrics(double seconds, long validSessions, boolean surveys,
      Map<String, Map<String, Object>> rows, String duckdbVersion) {}

  /** Outcome of comparing the peer's rows with the job's consultant_metrics rows of one run. */
  public record Comparison(long jobRows, long peerRows, long mismatches, List<String> compared,
      List<String> examples, double tolerance) {
    public boolean agrees() {
      return mismatches == 0 && jobRows == peerRows && jobRows > 0;
    }
  }

  /** What {@code main} writes: the peer's seconds and the comparison. */
  public record Result(double seconds, long validSessions, String duckdbVersion, int threads, String memoryLimit,
      String runId, Comparison comparison) {}

  private DuckDbPeer() {}

  /**
   * Usage: {@code DuckDbPeer --config FILE --output FILE.json [--threads N] [--memory-limit 6GB]}.
   * Compares with the latest run in the config's run_log.
   */
  public static void main(String[] args) throws IOException, SQLException {
    Map<String, String> options = BenchArgs.parse(args, "--config", "--output", "--threads", "--memory-limit");
    AppConfig config = ConfigLoader.load(Path.of(BenchArgs.required(options, "--config")));
    int threads = Integer.parseInt(options.getOrDefault("--threads", "2"));
    String memoryLimit = options.getOrDefault("--memory-limit", "6GB");
    SparkSession spark = SparkSessions.create(config);
    try {
      RunRecord run = RunRecord.latest(spark, config);
      PeerMetrics peer = compute(config, run.grain(), run.periods(), threads, memoryLimit);
      Comparison comparison = compare(spark, config, run.runId(), run.grain(), peer);
      Result result = new Result(peer.seconds(), peer.validSessions(), peer.duckdbVersion(), threads, memoryLimit,
          run.runId(), comparison);
      BenchJson.write(Path.of(BenchArgs.required(options, "--output")), result);
      System.out.printf(Locale.ROOT, "DuckDB peer: %.1f s, %d rows, %d mismatches with run %s%n",
          peer.seconds(), comparison.peerRows(), comparison.mismatches(), run.runId());
    } finally {
      spark.stop();
    }
  }

  /** Computes the core metrics of the given periods in an in-memory DuckDB and times the SQL. */
  public static PeerMetrics compute(AppConfig config, String grain, List<LocalDate> periods, int threads,
      String memoryLimit) throws SQLException {
    SourceConfig sessions = parquetSource(config, "sessions");
    SourceConfig surveys = config.hasSource("surveys") ? parquetSource(config, "surveys") : null;
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
      execute(connection, "SET threads = " + threads);
      execute(connection, "SET memory_limit = '" + memoryLimit + "'");
      execute(connection, "SET preserve_insertion_order = false");
      execute(connection, "SET TimeZone = '" + config.timezone().getId() + "'");
      String version = scalar(connection, "SELECT version()");

      List<String> statements = new PeerSql(config, connection).statements(sessions, surveys, grain, periods);
      long start = System.nanoTime();
      for (String step : statements) {
        execute(connection, step);
      }
      Map<String, Map<String, Object>> rows = fetch(connection);
      long validSessions = Long.parseLong(scalar(connection, "SELECT count(*) FROM peer_valid_sessions"));
      double seconds = (System.nanoTime() - start) / 1e9;
      return new PeerMetrics(seconds, validSessions, surveys != null, rows, version);
    }
  }

  /** Runs one SQL statement on a new JDBC statement, because duckdb_jdbc 2.0.0.1 closes a statement with its result set. */
  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static SourceConfig parquetSource(AppConfig config, String name) {
    SourceConfig source = config.sources().get(name);
    if (source == null) {
      throw new IllegalArgumentException("DuckDB peer: the config " + config.file() + " has no " + name + " source");
    }
    if (!"parquet".equals(source.format())) {
      throw new IllegalArgumentException("DuckDB peer: source " + name + " has format " + source.format()
          + "; the peer reads Parquet only, because DuckDB extensions cannot be installed here");
    }
    return source;
  }

  private static String scalar(Connection connection, String query) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      result.next();
      return result.getString(1);
    }
  }

  private static Map<String, Map<String, Object>> fetch(Connection connection) throws SQLException {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT * FROM peer_metrics")) {
      while (result.next()) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String metric : METRICS) {
          Object value = result.getObject(metric);
          values.put(metric, value == null ? null : ((Number) value).doubleValue());
        }
        String key = result.getString("consultant_id") + "|" + result.getObject("period_start", LocalDate.class);
        rows.put(key, values);
      }
    }
    return rows;
  }

  /**
   * Compares the peer's rows with the job's consultant_metrics rows of run {@code runId}. The
   * survey metrics are compared only when the config has a surveys source.
   */
  public static Comparison compare(SparkSession spark, AppConfig config, String runId, String grain,
      PeerMetrics peer) {
    List<String> compared = METRICS.stream().filter(m -> peer.surveys() || !SURVEY_METRICS.contains(m)).toList();
    String location = new Publisher(spark, config.outputPath(), config.database()).location(Tables.CONSULTANT_METRICS);
    List<String> columns = new ArrayList<>(List.of("consultant_id", "period_start"));
    columns.addAll(compared);
    List<Row> jobRows = spark.read().format("delta").load(location)
        .filter(col("period_grain").equalTo(grain).and(col("run_id").equalTo(runId)))
        .selectExpr(columns.toArray(new String[0]))
        .collectAsList();

    List<String> examples = new ArrayList<>();
    long mismatches = 0;
    for (Row row : jobRows) {
      String key = row.getString(0) + "|" + row.getDate(1).toLocalDate();
      Map<String, Object> peerValues = peer.rows().get(key);
      if (peerValues == null) {
        mismatches++;
        addExample(examples, key + ": in the job's table, missing from the peer");
        continue;
      }
      for (int i = 0; i < compared.size(); i++) {
        String metric = compared.get(i);
        Double jobValue = row.isNullAt(i + 2) ? null : ((Number) row.get(i + 2)).doubleValue();
        Double peerValue = (Double) peerValues.get(metric);
        if (!agree(jobValue, peerValue, COUNTS.contains(metric))) {
          mismatches++;
          addExample(examples, key + " " + metric + ": job " + jobValue + ", peer " + peerValue);
        }
      }
    }
    java.util.Set<String> jobKeys = jobRows.stream()
        .map(r -> r.getString(0) + "|" + r.getDate(1).toLocalDate()).collect(Collectors.toSet());
    for (String key : peer.rows().keySet()) {
      if (!jobKeys.contains(key)) {
        mismatches++;
        addExample(examples, key + ": computed by the peer, missing from the job's table");
      }
    }
    return new Comparison(jobRows.size(), peer.rows().size(), mismatches, compared, examples, TOLERANCE);
  }

  static boolean agree(Double job, Double peer, boolean exact) {
    if (job == null || peer == null) {
      return job == null && peer == null;
    }
    if (exact) {
      return job.doubleValue() == peer.doubleValue();
    }
    return Math.abs(job - peer) <= TOLERANCE * Math.max(1.0, Math.abs(job));
  }

  private static void addExample(List<String> examples, String line) {
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(line);
    }
  }
}
