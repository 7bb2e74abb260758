package org.consultscore.job;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema of run_log: one row per run, successful or not. */
final class RunLogSchema {
  static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("run_id", DataTypes.StringType, false),
      DataTypes.createStructField("period_grain", DataTypes.StringType, false),
      DataTypes.createStructField("period_start", DataTypes.DateType, false),
      DataTypes.createStructField("periods", DataTypes.createArrayType(DataTypes.DateType), false),
      DataTypes.createStructField("started_at", DataTypes.TimestampType, false),
      DataTypes.createStructField("ended_at", DataTypes.TimestampType, false),
      DataTypes.createStructField("status", DataTypes.StringType, false),
      DataTypes.createStructField("rules_version", DataTypes.StringType, true),
      DataTypes.createStructField("config_digest", DataTypes.StringType, true),
      DataTypes.createStructField("stage_rows", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true),
      DataTypes.createStructField("stage_seconds", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), true),
      DataTypes.createStructField("notes", DataTypes.createArrayType(DataTypes.StringType), true),
      DataTypes.createStructField("error_message", DataTypes.StringType, true)});

  private RunLogSchema() {}
}
