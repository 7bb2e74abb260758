package org.consultscore.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.mode;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Aggregates session facts into one row per (consultant, period) with every metric of the
 * catalogue and the counts behind them.
 *
 * <p>Percentiles are exact: {@code percentile_disc} returns the value at rank ceil(q * n) of
 * the n values in ascending order, which is the definition the metrics use (the lower value
 * for an even-sized median).
 */
final class ConsultantMetrics {
  private ConsultantMetrics() {}

  static Dataset<Row> aggregate(Dataset<Row> facts, int satisfiedThreshold) {
    Column inbound = col("inbound");
    Column answered = inbound.and(col("answered"));
    Column surveyed = inbound.and(col("csat").isNotNull());
    Column npsAnswered = inbound.and(col("nps").isNotNull());

    Dataset<Row> counts = facts
        .withColumn("_frt_answered", when(answered, col("frt_s")))
        .withColumn("_aht_inbound", when(inbound, col("aht_s")))
        .groupBy(col("period_grain"), col("period_start"), col("consultant_id"))
        .agg(
            first("display_name", true).as("display_name"),
            first("team_id", true).as("team_id"),
            mode(col("business_line")).as("business_line"),
            first("level", true).as("level"),
            countIf(inbound).as("sessions"),
            countIf(col("inbound").equalTo(false)).as("outbound_sessions"),
            count_distinct(when(inbound, col("customer_key"))).as("customers"),
            countIf(answered).as("answered_sessions"),
            percentile("_frt_answered", 0.5).as("frt_median_s"),
            percentile("_frt_answered", 0.9).as("frt_p90_s"),
            countIf(inbound.and(col("sla_met"))).as("_sla_met"),
            percentile("_aht_inbound", 0.5).as("aht_median_s"),
            countIf(inbound.and(col("resolved"))).as("_resolved"),
            countIf(inbound.and(col("transferred"))).as("_transferred"),
            countIf(surveyed).as("surveys"),
            avg(when(surveyed, col("csat"))).as("csat_mean"),
            countIf(surveyed.and(col("csat").geq(satisfiedThreshold))).as("_satisfied"),
            countIf(npsAnswered).as("nps_responses"),
            countIf(npsAnswered.and(col("nps").geq(9))).as("_promoters"),
            countIf(npsAnswered.and(col("nps").leq(6))).as("_detractors"),
            max("is_final").as("is_final"));

    return counts
        .withColumn("answered_rate", rate(col("answered_sessions"), col("sessions")))
        .withColumn("sla_rate", rate(col("_sla_met"), col("sessions")))
        .withColumn("resolution_rate", rate(col("_resolved"), col("sessions")))
        .withColumn("transfer_rate", rate(col("_transferred"), col("sessions")))
        .withColumn("survey_response_rate", rate(col("surveys"), col("sessions")))
        .withColumn("csat_satisfied_rate", rate(col("_satisfied"), col("surveys")))
        .withColumn("nps", rate(col("_promoters").minus(col("_detractors")), col("nps_responses")).multiply(100))
        .select(
            col("period_grain"), col("period_start"), col("consultant_id"), col("display_name"),
            col("team_id"), col("business_line"), col("level"),
            col("sessions"), col("outbound_sessions"), col("customers"), col("answered_sessions"),
            col("answered_rate"), col("frt_median_s"), col("frt_p90_s"), col("sla_rate"),
            col("aht_median_s"), col("resolution_rate"), col("transfer_rate"),
            col("surveys"), col("survey_response_rate"), col("csat_mean"), col("csat_satisfied_rate"),
            col("nps"), col("nps_responses"), col("is_final"));
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** numerator / denominator as a double; null when the denominator is 0. */
  static Column rate(Column numerator, Column denominator) {
    return when(denominator.gt(0), numerator.cast("double").divide(denominator));
  }

  private static Column percentile(String column, double quantile) {
    // percentile_disc ignores nulls, so rows outside the metric's population drop out.
    return expr("percentile_disc(" + quantile + ") WITHIN GROUP (ORDER BY " + column + ")");
  }
}
