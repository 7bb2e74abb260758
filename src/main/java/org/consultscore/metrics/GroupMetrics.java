package org.consultscore.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The catalogue's metrics per (team, period) and (business line, period), with the same
 * definitions as per consultant: a rate is computed from the group's counts, a median over
 * the group's values. Session metrics group by the session's team and business line;
 * reviews and work time go to the team and business line of the consultant's metrics row.
 */
final class GroupMetrics {
  static final String TEAM = "team";
  static final String BUSINESS_LINE = "business_line";
  private static final String[] KEYS = {"period_start", "group_id"};

  private GroupMetrics() {}

  static Dataset<Row> aggregate(Dataset<Row> facts, Dataset<Row> turnCounts, Dataset<Row> reviews, Dataset<Row> work,
      Dataset<Row> consultantRows, int satisfiedThreshold, Map<String, Double> reviewWeights,
      Set<String> presentSources) {
    Dataset<Row> teams = byGroup(TEAM, "team_id", facts, turnCounts, reviews, work, consultantRows,
        satisfiedThreshold, reviewWeights, presentSources);
    Dataset<Row> lines = byGroup(BUSINESS_LINE, "business_line", facts, turnCounts, reviews, work, consultantRows,
        satisfiedThreshold, reviewWeights, presentSources);
    return teams.unionByName(lines);
  }

  private static Dataset<Row> byGroup(String groupType, String groupColumn, Dataset<Row> facts, Dataset<Row> turnCounts,
      Dataset<Row> reviews, Dataset<Row> work, Dataset<Row> consultantRows, int satisfiedThreshold,
      Map<String, Double> reviewWeights, Set<String> presentSources) {
    Dataset<Row> grouped = facts.withColumn("group_id", col(groupColumn));
    Dataset<Row> sessionSums = MetricAggregation.aggregateSessions(grouped,
        new String[] {"period_grain", "period_start", "group_id"},
        MetricAggregation.sessionAggregates(satisfiedThreshold));
    Dataset<Row> turnSums = turnCounts == null ? null : MetricAggregation.turnAggregates(
        turnCounts.withColumn("group_id", col(groupColumn)), KEYS);

    Dataset<Row> members = consultantRows.select(col("consultant_id"), col("period_start"),
        col(groupColumn).as("group_id"));
    Dataset<Row> reviewSums = reviews == null ? null : MetricAggregation.agg(
        reviews.join(members, MetricAggregation.asSeq("consultant_id", "period_start")).groupBy(KEYS[0], KEYS[1]),
        MetricAggregation.reviewSums());
    Dataset<Row> workSums = work == null ? null : MetricAggregation.agg(
        work.join(members, MetricAggregation.asSeq("consultant_id", "period_start")).groupBy(KEYS[0], KEYS[1]),
        MetricAggregation.workSums());
    Dataset<Row> joined = MetricAggregation.joinParts(sessionSums, turnSums, reviewSums, workSums, KEYS);

    List<Column> columns = new ArrayList<>(List.of(col("period_grain"), col("period_start"),
        lit(groupType).as("group_type"), col("group_id")));
    MetricAggregation.METRIC_COLUMNS.forEach(name -> columns.add(col(name)));
    return MetricAggregation.finish(joined, reviewWeights, presentSources).select(columns.toArray(new Column[0]));
  }
}
