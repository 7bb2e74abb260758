package org.consultscore.bench;

import java.io.File;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.consultscore.config.AppConfig;
import org.consultscore.config.SourceConfig;

/**
 * Builds the DuckDB statements of {@link DuckDbPeer}: the valid sessions, the counted surveys
 * and the metrics per consultant and period, as three temporary tables.
 *
 * <p>Parquet timestamps are turned into instants by their stored type: a DuckDB
 * {@code TIMESTAMP WITH TIME ZONE} is one already, an INT96 value (Spark's default) is UTC, and
 * a {@code TIMESTAMP} without zone (Spark's TIMESTAMP_NTZ) or a {@code DATE} is local time in the
 * config's timezone, as the job reads them.
 */
final class PeerSql {
  private final AppConfig config;
  private final Connection connection;
  private final String zone;

  PeerSql(AppConfig config, Connection connection) {
    this.config = config;
    this.connection = connection;
    this.zone = config.timezone().getId();
  }

  List<String> statements(SourceConfig sessions, SourceConfig surveys, String grain, List<LocalDate> periods)
      throws SQLException {
    String sessionsTable = "CREATE TEMP TABLE peer_valid_sessions AS " + validSessions(sessions);
    String surveysTable = surveys == null
        ? "CREATE TEMP TABLE peer_counted_surveys AS SELECT NULL::VARCHAR AS session_id, NULL::INTEGER AS csat LIMIT 0"
        : "CREATE TEMP TABLE peer_counted_surveys AS " + countedSurveys(surveys);
    return List.of(sessionsTable, surveysTable, "CREATE TEMP TABLE peer_metrics AS " + metrics(grain, periods));
  }

  /** Selects the valid sessions, one per session_id, with typed columns. */
  private String validSessions(SourceConfig source) throws SQLException {
    Columns in = columns(source);
    long maxSeconds = (long) config.maxSessionHours() * 3600;
    String typed = "SELECT "
        + in.text("session_id") + " AS session_id, "
        + in.text("consultant_id") + " AS consultant_id, "
        + in.text("customer_id") + " AS customer_id, "
        + in.instant("started_at") + " AS started_at, "
        + in.instant("assigned_at") + " AS assigned_at, "
        + in.instant("first_response_at") + " AS first_response_at, "
        + in.instant("ended_at") + " AS ended_at, "
        + "lower(" + in.text("channel") + ") AS channel, "
        + "lower(" + in.text("initiated_by") + ") AS initiated_by, "
        + in.bool("resolved") + " AS resolved, "
        + in.bool("transferred") + " AS transferred, "
        + in.whole("customer_messages") + " AS customer_messages, "
        + in.whole("consultant_messages") + " AS consultant_messages, "
        + in.bad("assigned_at", in.instant("assigned_at")) + " OR "
        + in.bad("first_response_at", in.instant("first_response_at")) + " OR "
        + in.bad("resolved", in.bool("resolved")) + " OR "
        + in.bad("transferred", in.bool("transferred")) + " OR "
        + in.bad("customer_messages", in.whole("customer_messages")) + " OR "
        + in.bad("consultant_messages", in.whole("consultant_messages")) + " AS unreadable "
        + "FROM " + in.scan();
    return "SELECT * EXCLUDE (unreadable) FROM (" + typed + ") WHERE "
        + "session_id IS NOT NULL AND consultant_id IS NOT NULL AND customer_id IS NOT NULL "
        + "AND started_at IS NOT NULL AND ended_at IS NOT NULL AND NOT unreadable "
        + "AND (initiated_by IS NULL OR initiated_by IN ('customer', 'consultant')) "
        + "AND coalesce(customer_messages >= 0, true) AND coalesce(consultant_messages >= 0, true) "
        + "AND ended_at >= started_at "
        + "AND coalesce(assigned_at >= started_at, true) "
        + "AND coalesce(first_response_at >= coalesce(assigned_at, started_at), true) "
        // The job compares whole seconds since the epoch, so do the same.
        + "AND epoch_us(ended_at) // 1000000 - epoch_us(started_at) // 1000000 <= " + maxSeconds + " "
        + "QUALIFY row_number() OVER (PARTITION BY session_id "
        + "ORDER BY ended_at DESC, first_response_at DESC NULLS LAST) = 1";
  }

  /** Selects the survey that counts for each valid session: the latest valid one submitted after its start. */
  private String countedSurveys(SourceConfig source) throws SQLException {
    Columns in = columns(source);
    String typed = "SELECT "
        + in.text("survey_id") + " AS survey_id, "
        + in.text("session_id") + " AS session_id, "
        + in.instant("submitted_at") + " AS submitted_at, "
        + in.whole("csat") + " AS csat, "
        + in.whole("nps") + " AS nps, "
        + in.bad("csat", in.whole("csat")) + " OR " + in.bad("nps", in.whole("nps")) + " AS unreadable "
        + "FROM " + in.scan();
    String valid = "SELECT * FROM (" + typed + ") WHERE "
        + "survey_id IS NOT NULL AND session_id IS NOT NULL AND submitted_at IS NOT NULL AND NOT unreadable "
        + "AND coalesce(csat BETWEEN 1 AND " + config.csatScale() + ", true) "
        + "AND coalesce(nps BETWEEN 0 AND 10, true) "
        + "AND NOT (csat IS NULL AND nps IS NULL) "
        + "QUALIFY row_number() OVER (PARTITION BY survey_id ORDER BY submitted_at DESC) = 1";
    return "SELECT v.session_id, v.csat FROM (" + valid + ") v "
        + "JOIN peer_valid_sessions s ON v.session_id = s.session_id "
        + "WHERE v.submitted_at >= s.started_at "
        + "QUALIFY row_number() OVER (PARTITION BY v.session_id "
        + "ORDER BY v.submitted_at DESC, v.survey_id DESC) = 1";
  }

  private String metrics(String grain, List<LocalDate> periods) {
    String unit = switch (grain) {
      case "day" -> "day";
      case "week" -> "week";
      case "month" -> "month";
      default -> throw new IllegalArgumentException("Unknown period grain '" + grain + "'; expected day, week or month");
    };
    String periodList = periods.stream().map(p -> "DATE '" + p + "'").collect(Collectors.joining(", "));
    String facts = "SELECT s.consultant_id, "
        + "CAST(date_trunc('" + unit + "', timezone('" + zone + "', s.started_at)) AS DATE) AS period_start, "
        + "coalesce(s.initiated_by, 'customer') = 'customer' AS inbound, "
        + "s.first_response_at IS NOT NULL AS answered, "
        + "(epoch_us(s.first_response_at) - epoch_us(coalesce(s.assigned_at, s.started_at))) / 1000000.0 AS frt_s, "
        + "(epoch_us(s.ended_at) - epoch_us(s.started_at)) / 1000000.0 AS aht_s, "
        + slaSeconds() + " AS sla_seconds, "
        + "coalesce(s.resolved, false) AS resolved, coalesce(s.transferred, false) AS transferred, v.csat "
        + "FROM peer_valid_sessions s LEFT JOIN peer_counted_surveys v ON s.session_id = v.session_id";
    String sums = "SELECT consultant_id, period_start, "
        + "count(*) FILTER (WHERE inbound) AS sessions, "
        + "count(*) FILTER (WHERE NOT inbound) AS outbound_sessions, "
        + "count(*) FILTER (WHERE inbound AND answered) AS answered_sessions, "
        + "list_sort(list(frt_s) FILTER (WHERE inbound AND answered)) AS frt_values, "
        + "count(*) FILTER (WHERE inbound AND answered AND frt_s <= sla_seconds) AS sla_met, "
        + "list_sort(list(aht_s) FILTER (WHERE inbound)) AS aht_values, "
        + "count(*) FILTER (WHERE inbound AND resolved) AS resolved, "
        + "count(*) FILTER (WHERE inbound AND transferred) AS transferred, "
        + "count(*) FILTER (WHERE inbound AND csat IS NOT NULL) AS surveys, "
        + "avg(csat) FILTER (WHERE inbound AND csat IS NOT NULL) AS csat_mean "
        + "FROM (" + facts + ") WHERE period_start IN (" + periodList + ") "
        + "GROUP BY consultant_id, period_start";
    return "SELECT consultant_id, period_start, sessions, outbound_sessions, answered_sessions, "
        + median("frt_values") + " AS frt_median_s, "
        + rate("sla_met") + " AS sla_rate, "
        + median("aht_values") + " AS aht_median_s, "
        + rate("resolved") + " AS resolution_rate, "
        + rate("transferred") + " AS transfer_rate, "
        + "surveys, csat_mean "
        + "FROM (" + sums + ")";
  }

  /** Returns the value at rank ceil(n / 2) of the sorted list (1-based), or null for an empty list. */
  private static String median(String sortedList) {
    return "CASE WHEN len(" + sortedList + ") > 0 THEN " + sortedList + "[(len(" + sortedList + ") + 1) // 2] END";
  }

  private static String rate(String count) {
    return "CASE WHEN sessions > 0 THEN " + count + " / sessions END";
  }

  private String slaSeconds() {
    StringBuilder sla = new StringBuilder("CASE");
    for (Map.Entry<String, Integer> channel : config.slaSecondsByChannel().entrySet()) {
      sla.append(" WHEN s.channel = '").append(channel.getKey().replace("'", "''")).append("' THEN ")
          .append(channel.getValue());
    }
    if (config.slaSecondsByChannel().isEmpty()) {
      return String.valueOf(config.slaSeconds());
    }
    return sla.append(" ELSE ").append(config.slaSeconds()).append(" END").toString();
  }

  /** Reads the column names and types of a Parquet source. */
  private Columns columns(SourceConfig source) throws SQLException {
    String glob = new File(source.path()).isDirectory()
        ? source.path() + "/**/*.parquet"
        : source.path();
    String scan = "read_parquet('" + glob.replace("'", "''") + "', hive_partitioning = false)";
    Map<String, String> types = new HashMap<>();
    // duckdb_jdbc 2.0.0.1 closes a statement when its result set is closed, so each query gets its own.
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("DESCRIBE SELECT * FROM " + scan)) {
      while (result.next()) {
        types.put(result.getString("column_name"), result.getString("column_type"));
      }
    }
    // The physical type distinguishes INT96 timestamps (UTC) from TIMESTAMP_NTZ ones (local
    // time), which DuckDB both reads as TIMESTAMP. The first file's type is taken for all files.
    String firstFile;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
        "SELECT file FROM glob('" + glob.replace("'", "''") + "') ORDER BY file LIMIT 1")) {
      if (!result.next()) {
        throw new IllegalArgumentException("DuckDB peer: no Parquet file matches " + glob + " for source " + source.name());
      }
      firstFile = result.getString(1);
    }
    Map<String, String> physical = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(
        "SELECT name, type FROM parquet_schema('" + firstFile.replace("'", "''") + "')")) {
      while (result.next()) {
        physical.put(result.getString("name"), result.getString("type"));
      }
    }
    return new Columns(source, scan, types, physical);
  }

  /**
   * SQL expressions that read one source's contract columns the way the job's ingest does. A
   * column missing from the files reads as null, like an unmapped optional column.
   */
  private final class Columns {
    private final SourceConfig source;
    private final String scan;
    private final Map<String, String> types;
    private final Map<String, String> physical;

    Columns(SourceConfig source, String scan, Map<String, String> types, Map<String, String> physical) {
      this.source = source;
      this.scan = scan;
      this.types = types;
      this.physical = physical;
    }

    String scan() {
      return scan;
    }

    private String input(String name) {
      String mapping = source.columns().get(name);
      String column = mapping != null ? mapping : name;
      return types.containsKey(column) ? column : null;
    }

    private String quoted(String column) {
      return "\"" + column.replace("\"", "\"\"") + "\"";
    }

    /** Trimmed text, null when empty. */
    String text(String name) {
      String column = input(name);
      return column == null ? "NULL::VARCHAR" : "NULLIF(trim(CAST(" + quoted(column) + " AS VARCHAR)), '')";
    }

    /** Returns SQL for the instant of a timestamp column, null outside [min_year, max_year]. */
    String instant(String name) {
      String column = input(name);
      if (column == null) {
        return "NULL::TIMESTAMPTZ";
      }
      String type = types.get(column).toUpperCase(Locale.ROOT);
      String value = quoted(column);
      String instant;
      if (type.equals("TIMESTAMP WITH TIME ZONE")) {
        instant = value;
      } else if (type.startsWith("TIMESTAMP") && "INT96".equalsIgnoreCase(physical.get(column))) {
        instant = "timezone('UTC', " + value + ")";
      } else if (type.startsWith("TIMESTAMP")) {
        instant = "timezone('" + zone + "', CAST(" + value + " AS TIMESTAMP))";
      } else if (type.equals("DATE")) {
        instant = "timezone('" + zone + "', CAST(" + value + " AS TIMESTAMP))";
      } else {
        throw new IllegalArgumentException("DuckDB peer: column " + column + " of source " + source.name()
            + " has type " + type + "; the peer reads timestamps stored as Parquet timestamps or dates only");
      }
      return "CASE WHEN year(timezone('" + zone + "', " + instant + ")) BETWEEN " + config.minYear() + " AND "
          + config.maxYear() + " THEN " + instant + " END";
    }

    /** Returns SQL that reads a boolean from true/t/yes/y/1 and false/f/no/n/0 in any letter case. */
    String bool(String name) {
      String text = "lower(" + text(name) + ")";
      return "CASE WHEN " + text + " IN ('true', 't', 'yes', 'y', '1', '1.0') THEN true "
          + "WHEN " + text + " IN ('false', 'f', 'no', 'n', '0', '0.0') THEN false END";
    }

    /** Returns SQL that reads a whole number: 4 and 4.0 read as 4, and 4.5 is unreadable. */
    String whole(String name) {
      String number = "TRY_CAST(" + text(name) + " AS DOUBLE)";
      return "CASE WHEN " + number + " = floor(" + number + ") THEN CAST(" + number + " AS INTEGER) END";
    }

    /** Returns SQL that is true when the input contains a non-blank value that {@code typed} cannot read. */
    String bad(String name, String typed) {
      return input(name) == null ? "false" : "(" + text(name) + " IS NOT NULL AND (" + typed + ") IS NULL)";
    }
  }
}
