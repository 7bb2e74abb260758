package org.consultscore.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
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
    Dataset<Row> sessionSums = MetricAggregation.aggregateSessions(facts,
            new String[] {"period_grain", "period_start", "consultant_id"},
            MetricAggregation.sessionAggregates(satisfiedThreshold))
        .join(rosterColumns(facts), new String[] {"period_grain", "period_start", "consultant_id"});
    Dataset<Row> turnSums = turnCounts == null ? null : MetricAggregation.turnAggregates(turnCounts, KEYS);
    Dataset<Row> joined = MetricAggregation.joinParts(sessionSums, turnSums, reviews, work, KEYS);

    List<Column> columns = new ArrayList<>(List.of(col("period_grain"), col("period_start"), col("consultant_id"),
        col("display_name"), col("team_id"), col("business_line"), col("level")));
    MetricAggregation.METRIC_COLUMNS.forEach(name -> columns.add(col(name)));
    return MetricAggregation.finish(joined, reviewWeights, presentSources).select(columns.toArray(new Column[0]));
  }

  /**
   * Returns the roster columns of each consultant and period: display_name, team_id and level,
   * and the most frequent business_line, the alphabetically first on a tie. Spark 3.5's mode()
   * returns any of the tied values, which made the row depend on partitioning.
   *
   * <p>The string columns are aggregated here, apart from the session sums, because an
   * aggregation buffer of strings makes Spark sort the rows instead of hashing them. The first
   * aggregation hashes the facts by these columns, which ingest takes from one roster row per
   * consultant, so the second one reads a few rows per consultant.
   */
  private static Dataset<Row> rosterColumns(Dataset<Row> facts) {
    Column[] keys = {col("period_grain"), col("period_start"), col("consultant_id")};
    Column ranking = struct(negate(col("_line_sessions")), col("business_line"));
    return facts.groupBy(col("period_grain"), col("period_start"), col("consultant_id"), col("business_line"),
            col("display_name"), col("team_id"), col("level"))
        .agg(count(lit(1)).as("_line_sessions"))
        .groupBy(keys)
        .agg(min_by(col("business_line"), ranking).as("business_line"),
            min(col("display_name")).as("display_name"),
            min(col("team_id")).as("team_id"),
            min(col("level")).as("level"));
  }
}
