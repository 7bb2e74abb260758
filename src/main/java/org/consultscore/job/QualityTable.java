package org.consultscore.job;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.consultscore.config.RunContext;
import org.consultscore.ingest.QualityReport;

/** The quality report as the data_quality table: one row per source, category and reason. */
final class QualityTable {
  static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("period_grain", DataTypes.StringType, false),
      DataTypes.createStructField("period_start", DataTypes.DateType, false),
      DataTypes.createStructField("source", DataTypes.StringType, false),
      DataTypes.createStructField("category", DataTypes.StringType, false),
      DataTypes.createStructField("reason", DataTypes.StringType, false),
      DataTypes.createStructField("rows", DataTypes.LongType, false),
      DataTypes.createStructField("share_of_read", DataTypes.DoubleType, true)});

  private QualityTable() {}

  static Dataset<Row> of(SparkSession spark, QualityReport quality, RunContext run) {
    List<Row> rows = new ArrayList<>();
    for (QualityReport.Entry entry : quality.entries()) {
      long read = quality.count(entry.source(), QualityReport.READ);
      rows.add(RowFactory.create(run.grain(), Date.valueOf(run.target()), entry.source(), entry.category(),
          entry.reason(), entry.rows(), read == 0 ? null : (double) entry.rows() / read));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
