package org.consultscore.segments;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.consultscore.config.ScoringConfig;

/** Schemas of the rows the segments stage builds on the driver. */
final class SegmentSchemas {
  private SegmentSchemas() {}

  static StructType members() {
    return new StructType(new StructField[] {
        field("period_grain", DataTypes.StringType),
        field("period_start", DataTypes.DateType),
        field("consultant_id", DataTypes.StringType),
        field("segment_id", DataTypes.IntegerType),
        field("segment_label_en", DataTypes.StringType),
        field("segment_label_zh", DataTypes.StringType),
        field("distance", DataTypes.DoubleType),
        field("pca_x", DataTypes.DoubleType),
        field("pca_y", DataTypes.DoubleType),
        field("imputed_dimensions", DataTypes.BooleanType)});
  }

  static StructType profiles() {
    List<StructField> fields = new ArrayList<>(List.of(
        field("period_grain", DataTypes.StringType),
        field("period_start", DataTypes.DateType),
        field("segment_id", DataTypes.IntegerType),
        field("segment_label_en", DataTypes.StringType),
        field("segment_label_zh", DataTypes.StringType),
        field("size", DataTypes.LongType),
        field("share", DataTypes.DoubleType)));
    for (String dimension : ScoringConfig.DIMENSIONS) {
      fields.add(field(dimension + "_centroid", DataTypes.DoubleType));
    }
    fields.addAll(List.of(
        field("composite_mean", DataTypes.DoubleType),
        field("algorithm", DataTypes.StringType),
        field("k", DataTypes.IntegerType),
        field("silhouette", DataTypes.DoubleType)));
    return new StructType(fields.toArray(new StructField[0]));
  }

  /** Returns the schema of segment_transitions: people per (period, from segment, to segment). */
  static StructType transitions() {
    return new StructType(new StructField[] {
        field("period_grain", DataTypes.StringType),
        field("period_start", DataTypes.DateType),
        field("previous_period_start", DataTypes.DateType),
        field("from_segment_id", DataTypes.IntegerType),
        field("to_segment_id", DataTypes.IntegerType),
        field("people", DataTypes.LongType)});
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
