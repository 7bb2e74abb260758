package org.consultscore.scoring;

import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;

/**
 * Builds consultant_metrics rows for scoring tests. Every row defaults to 100 sessions in
 * September 2026, business line "edu" and null metrics; a test sets only what it exercises.
 */
final class MetricRows {
  private static final String[][] COLUMNS = {
      {"period_grain", "string"}, {"period_start", "date"}, {"consultant_id", "string"},
      {"display_name", "string"}, {"team_id", "string"}, {"business_line", "string"}, {"level", "string"},
      {"sessions", "long"}, {"outbound_sessions", "long"}, {"customers", "long"}, {"answered_sessions", "long"},
      {"answered_rate", "double"}, {"frt_median_s", "double"}, {"frt_p90_s", "double"}, {"sla_rate", "double"},
      {"aht_median_s", "double"}, {"resolution_rate", "double"}, {"transfer_rate", "double"},
      {"surveys", "long"}, {"survey_response_rate", "double"}, {"csat_mean", "double"},
      {"csat_satisfied_rate", "double"}, {"nps", "double"}, {"nps_responses", "long"}, {"is_final", "boolean"}};

  private final List<Map<String, Object>> rows = new ArrayList<>();

  /** Adds a consultant; values are alternating column names and values. */
  MetricRows add(String consultantId, Object... values) {
    Map<String, Object> row = new HashMap<>();
    row.put("period_grain", "month");
    row.put("period_start", Date.valueOf("2026-09-01"));
    row.put("consultant_id", consultantId);
    row.put("team_id", "T1");
    row.put("business_line", "edu");
    row.put("level", "junior");
    row.put("sessions", 100L);
    row.put("answered_sessions", 100L);
    row.put("is_final", true);
    for (int i = 0; i < values.length; i += 2) {
      row.put((String) values[i], values[i + 1]);
    }
    rows.add(row);
    return this;
  }

  Dataset<Row> toDataset() {
    List<StructField> fields = new ArrayList<>();
    for (String[] column : COLUMNS) {
      fields.add(DataTypes.createStructField(column[0], type(column[1]), true));
    }
    List<Row> data = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Object[] values = new Object[COLUMNS.length];
      for (int i = 0; i < COLUMNS.length; i++) {
        Object value = row.get(COLUMNS[i][0]);
        values[i] = value instanceof Integer number && COLUMNS[i][1].equals("long") ? number.longValue()
            : value instanceof Integer number && COLUMNS[i][1].equals("double") ? number.doubleValue() : value;
      }
      data.add(RowFactory.create(values));
    }
    return SparkTestSession.spark().createDataFrame(data, new StructType(fields.toArray(new StructField[0])));
  }

  private static DataType type(String name) {
    return switch (name) {
      case "string" -> DataTypes.StringType;
      case "date" -> DataTypes.DateType;
      case "long" -> DataTypes.LongType;
      case "boolean" -> DataTypes.BooleanType;
      default -> DataTypes.DoubleType;
    };
  }
}
