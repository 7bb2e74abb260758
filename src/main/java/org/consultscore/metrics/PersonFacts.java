package org.consultscore.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.RunContext;

/**
 * Facts about a consultant that are not tied to a session, per (consultant_id, period_start):
 * review counts and sums per relation (period of reviewed_at) and logged-in minutes (period
 * of work_date). Sums rather than means, so team and business line rollups add them up.
 */
final class PersonFacts {
  static final List<String> RELATIONS = List.of("self", "peer", "manager", "subordinate");

  private PersonFacts() {}

  /** Review counts and item-mean sums per relation; null when the source is absent. */
  static Dataset<Row> reviews(Dataset<Row> reviews, RunContext run) {
    if (reviews == null) {
      return null;
    }
    List<Column> sums = new ArrayList<>();
    for (String relation : RELATIONS) {
      Column ofRelation = col("relation").equalTo(relation);
      sums.add(sum(when(ofRelation, 1L).otherwise(0L)).as(reviewCount(relation)));
      sums.add(sum(when(ofRelation, col("_review_score"))).as(reviewSum(relation)));
    }
    return inRun(reviews.withColumn("period_start", periodOf(col("reviewed_at"), run)), run)
        .withColumn("_review_score", SessionFacts.itemMean("teamwork", "professionalism", "communication", "growth"))
        .groupBy(col("reviewee_id").as("consultant_id"), col("period_start"))
        .agg(sums.get(0), sums.subList(1, sums.size()).toArray(new Column[0]));
  }

  /** Logged-in minutes and work days per consultant and period; null when the source is absent. */
  static Dataset<Row> workTime(Dataset<Row> workTime, RunContext run) {
    if (workTime == null) {
      return null;
    }
    return inRun(workTime.withColumn("period_start", periodOf(col("work_date").cast("timestamp"), run)), run)
        .groupBy("consultant_id", "period_start")
        .agg(sum("logged_in_minutes").as("logged_in_minutes"), count(lit(1)).as("work_days"));
  }

  static String reviewCount(String relation) {
    return "review_" + relation + "_count";
  }

  static String reviewSum(String relation) {
    return "review_" + relation + "_sum";
  }

  private static Column periodOf(Column localTime, RunContext run) {
    return to_date(date_trunc(run.truncUnit(), localTime));
  }

  private static Dataset<Row> inRun(Dataset<Row> rows, RunContext run) {
    return rows.filter(col("period_start").geq(lit(Date.valueOf(run.first())))
        .and(col("period_start").lt(lit(Date.valueOf(run.endExclusive())))));
  }
}
