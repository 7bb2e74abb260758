package org.consultscore.scoring;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.ScoringConfig;

/**
 * team_scores: one row per team and period. People counts every consultant of the team with
 * metrics in the period, eligible_people those with enough sessions, scored_people those with
 * a composite. The composite statistics and the dimension means are over the scored people;
 * the median and the 10th and 90th percentiles are exact, by the nearest-rank rule: the
 * value at rank ceil(q * n) of the n ascending composites (the median of an even count is
 * the lower middle value). The change compares composite_mean with the team's previous
 * period of the same grain, from this run or, when that period is not in it, from the
 * published team_scores. Consultants without a team form the team_id null row.
 */
public final class TeamScores {
  private TeamScores() {}

  /** Column of the count of people with a grade, e.g. grade_s_count. */
  public static String gradeCount(String grade) {
    return "grade_" + grade.toLowerCase(Locale.ROOT) + "_count";
  }

  /** Column of the mean score of a dimension, e.g. satisfaction_mean. */
  public static String dimensionMean(String dimension) {
    return dimension + "_mean";
  }

  /**
   * @param scores consultant_scores rows of the run
   * @param published the published team_scores (team_id, period_start, composite_mean of
   *     this grain), or null
   */
  public static Dataset<Row> of(Dataset<Row> scores, String grain, Dataset<Row> published) {
    Column composite = col(ScoringColumns.COMPOSITE);
    Column scored = composite.isNotNull();
    List<Column> aggregates = new ArrayList<>(List.of(
        count(lit(1)).as("people"),
        sum(when(col(ScoringColumns.ELIGIBLE), 1L).otherwise(0L)).as("eligible_people"),
        count(composite).as("scored_people"),
        avg(composite).as("composite_mean"),
        sort_array(collect_list(composite)).as("_composites")));
    for (String grade : ScoringConfig.GRADES) {
      aggregates.add(sum(when(col("grade").equalTo(grade), 1L).otherwise(0L)).as(gradeCount(grade)));
    }
    for (String dimension : ScoringConfig.DIMENSIONS) {
      aggregates.add(avg(when(scored, col(ScoringColumns.dimensionScore(dimension)))).cast("double")
          .as(dimensionMean(dimension)));
    }
    Dataset<Row> teams = scores
        .groupBy(col("period_grain"), col("period_start"), col("team_id"))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
    Column n = col("scored_people");
    teams = teams
        .withColumn("composite_median", percentile(n, 50))
        .withColumn("composite_p10", percentile(n, 10))
        .withColumn("composite_p90", percentile(n, 90))
        .drop("_composites");
    return trend(teams, grain, published).select(columns());
  }

  /** The nearest-rank percentile of the sorted composites; null for a team nobody was scored in. */
  private static Column percentile(Column n, int percent) {
    return when(n.gt(0), element_at(col("_composites"), MetricScores.nearestRank(n, percent).cast("int")));
  }

  private static Dataset<Row> trend(Dataset<Row> teams, String grain, Dataset<Row> published) {
    Dataset<Row> previous = teams.select(col("team_id"), col("period_start"), col("composite_mean"));
    if (published != null) {
      Dataset<Row> inRun = previous.select("period_start").distinct();
      Dataset<Row> older = published
          .join(inRun, published.col("period_start").equalTo(inRun.col("period_start")), "left_anti")
          .select(col("team_id"), col("period_start"), col("composite_mean"));
      previous = previous.unionByName(older);
    }
    Dataset<Row> renamed = previous.select(
        col("team_id").as("_previous_team"),
        col("period_start").as("_previous_start"),
        col("composite_mean").as("previous_composite_mean"));
    return teams
        .join(renamed, col("team_id").eqNullSafe(col("_previous_team"))
            .and(Scoring.previousStart(grain).equalTo(col("_previous_start"))), "left")
        .withColumn("composite_mean_change", col("composite_mean").minus(col("previous_composite_mean")))
        .drop("_previous_team", "_previous_start");
  }

  private static Column[] columns() {
    List<Column> columns = new ArrayList<>();
    for (String name : List.of("period_grain", "period_start", "team_id", "people", "eligible_people",
        "scored_people", "composite_mean", "composite_median", "composite_p10", "composite_p90")) {
      columns.add(col(name));
    }
    ScoringConfig.GRADES.forEach(grade -> columns.add(col(gradeCount(grade))));
    ScoringConfig.DIMENSIONS.forEach(dimension -> columns.add(col(dimensionMean(dimension))));
    columns.add(col("previous_composite_mean"));
    columns.add(col("composite_mean_change"));
    return columns.toArray(new Column[0]);
  }
}
