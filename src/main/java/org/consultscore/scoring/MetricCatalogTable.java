package org.consultscore.scoring;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.config.MetricCatalog;
import org.consultscore.config.ScoringConfig;

/**
 * metric_catalog: one row per metric the job computes, with how the scoring rules use it
 * (dimension, direction, normalization, shrinkage prior, target bounds; null when the metric
 * is not scored, and the direction then is the metric's natural one), its unit and its
 * descriptions. The table is replaced as a whole by every run; period_grain and
 * period_start name the run's target period, so a row says which rules it describes.
 */
public final class MetricCatalogTable {
  static final StructType SCHEMA = new StructType()
      .add("period_grain", DataTypes.StringType, false)
      .add("period_start", DataTypes.DateType, false)
      .add("name", DataTypes.StringType, false)
      .add("dimension", DataTypes.StringType, true)
      .add("direction", DataTypes.StringType, false)
      .add("normalization", DataTypes.StringType, true)
      .add("prior_strength", DataTypes.DoubleType, true)
      .add("floor", DataTypes.DoubleType, true)
      .add("target", DataTypes.DoubleType, true)
      .add("unit", DataTypes.StringType, false)
      .add("description_en", DataTypes.StringType, false)
      .add("description_zh", DataTypes.StringType, false);

  private MetricCatalogTable() {}

  public static Dataset<Row> of(SparkSession spark, ScoringConfig rules, String grain, LocalDate target) {
    List<Row> rows = new ArrayList<>();
    for (MetricCatalog.Metric metric : MetricCatalog.all()) {
      ScoringConfig.MetricRule rule = rules.metrics().get(metric.name());
      rows.add(RowFactory.create(grain, Date.valueOf(target), metric.name(),
          rule == null ? null : rule.dimension(),
          rule == null ? metric.defaultDirection() : rule.direction(),
          rule == null ? null : rule.normalization(),
          rule == null ? null : rule.priorStrength(),
          rule == null ? null : rule.floor(),
          rule == null ? null : rule.target(),
          metric.unit(), metric.descriptionEn(), metric.descriptionZh()));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
