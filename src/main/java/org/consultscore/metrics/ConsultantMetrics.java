package org.consultscore.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.negate;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One row per (consultant, period) with every metric of the catalogue and the counts behind
 * them. Rows exist for consultants with at least one session in the period; reviews and
 * work time of a consultant without sessions in a period are left out.
 */
final class ConsultantMetrics {
  private static final String[] KEYS = {"period_start", "consultant_id"};

  private ConsultantMetrics() {}

  static Dataset<Row> aggregate(Dataset<Row> facts, Dataset<Row> turnCounts, Dataset<Row> reviews, Dataset<Row> work,
      int satisfiedThreshold, Map<String, Double> reviewWeights, Set<String> presentSources) {
    List<Column> roster = List.of(
        first("display_name", true).as("display_name"),
        first("team_id", true).as("team_id"),
        first("level", true).as("level"));
    Dataset<Row> sessionSums = MetricAggregation.aggregateSessions(facts,
            new String[] {"period_grain", "period_start", "consultant_id"},
            MetricAggregation.sessionAggregates(satisfiedThreshold, roster))
        .join(mainBusinessLine(facts), new String[] {"period_grain", "period_start", "consultant_id"});
    Dataset<Row> turnSums = turnCounts == null ? null : MetricAggregation.turnAggregates(turnCounts, KEYS);
    Dataset<Row> joined = MetricAggregation.joinParts(sessionSums, turnSums, reviews, work, KEYS);

    List<Column> columns = new ArrayList<>(List.of(col("period_grain"), col("period_start"), col("consultant_id"),
        col("display_name"), col("team_id"), col("business_line"), col("level")));
    MetricAggregation.METRIC_COLUMNS.forEach(name -> columns.add(col(name)));
    return MetricAggregation.finish(joined, reviewWeights, presentSources).select(columns.toArray(new Column[0]));
  }

  /**
   * Returns the most frequent business_line of each consultant and period, the alphabetically
   * first on a tie. Spark 3.5's mode() returns any of the tied values, which made the row
   * depend on partitioning.
   */
  private static Dataset<Row> mainBusinessLine(Dataset<Row> facts) {
    Column[] keys = {col("period_grain"), col("period_start"), col("consultant_id")};
    Column ranking = struct(negate(col("_line_sessions")), col("business_line"));
    return facts.groupBy(col("period_grain"), col("period_start"), col("consultant_id"), col("business_line"))
        .agg(count(lit(1)).as("_line_sessions"))
        .groupBy(keys)
        .agg(min_by(col("business_line"), ranking).as("business_line"));
  }
}
