package org.consultscore.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;

/**
 * The catalogue's definitions, shared by the consultant table and the team and business line
 * rollups: sums and counts per group, then the metrics computed from them.
 *
 * <p>Percentiles are exact: {@code percentile_disc} returns the value at rank ceil(q * n) of
 * the n values in ascending order, which is the definition the metrics use (the lower value
 * for an even-sized median).
 */
final class MetricAggregation {
  /** Published columns of each optional source; all are null when the source is absent. */
  static final Map<String, List<String>> COLUMNS_BY_SOURCE = columnsBySource();

  /** Columns of the metrics and their counts, in the published order after the group columns. */
  static final List<String> METRIC_COLUMNS = List.of(
      "sessions", "outbound_sessions", "customers", "answered_sessions", "answered_rate", "frt_median_s",
      "frt_p90_s", "sla_rate", "aht_median_s", "resolution_rate", "fcr_rate", "transfer_rate",
      "follow_up_rate", "reply_turns", "reply_time_median_s", "reply_time_p90_s",
      "surveys", "survey_response_rate", "csat_mean", "csat_satisfied_rate", "nps", "nps_responses",
      "qa_audits", "qa_score_mean", "qa_accuracy_audits", "qa_accuracy_mean", "critical_error_rate",
      "review_self_count", "review_self_mean", "review_peer_count", "review_peer_mean",
      "review_manager_count", "review_manager_mean", "review_subordinate_count", "review_subordinate_mean",
      "review_360_count", "review_360_mean", "self_gap",
      "converted_sessions", "conversion_rate", "attributed_sales", "attributed_refunds", "revenue",
      "revenue_per_session", "refund_rate", "work_days", "logged_in_hours", "sessions_per_hour",
      "occupancy_rate", "is_final");

  /** The first-response median and 90th percentile, one array until {@link #aggregateSessions} splits it. */
  private static final String FRT_QUANTILES = "_frt_quantiles";

  private MetricAggregation() {}

  private static Map<String, List<String>> columnsBySource() {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    columns.put("surveys", List.of("surveys", "survey_response_rate", "csat_mean", "csat_satisfied_rate",
        "nps", "nps_responses"));
    columns.put("messages", List.of("reply_turns", "reply_time_median_s", "reply_time_p90_s"));
    columns.put("qa_audits", List.of("qa_audits", "qa_score_mean", "qa_accuracy_audits", "qa_accuracy_mean",
        "critical_error_rate"));
    List<String> reviews = new ArrayList<>();
    for (String relation : PersonFacts.RELATIONS) {
      reviews.add(PersonFacts.reviewCount(relation));
      reviews.add("review_" + relation + "_mean");
    }
    reviews.addAll(List.of("review_360_count", "review_360_mean", "self_gap"));
    columns.put("reviews", List.copyOf(reviews));
    columns.put("outcomes", List.of("converted_sessions", "conversion_rate", "attributed_sales",
        "attributed_refunds", "revenue", "revenue_per_session", "refund_rate"));
    columns.put("work_time", List.of("work_days", "logged_in_hours", "sessions_per_hour", "occupancy_rate"));
    return Map.copyOf(columns);
  }

  /**
   * Aggregations of session facts prepared by {@link #withPercentileInputs}; {@code extra} are
   * prepended (e.g. the roster columns).
   */
  static Column[] sessionAggregates(int satisfiedThreshold, List<Column> extra) {
    Column inbound = col("inbound");
    Column answered = inbound.and(col("answered"));
    Column surveyed = inbound.and(col("csat").isNotNull());
    Column npsAnswered = inbound.and(col("nps").isNotNull());
    List<Column> aggregates = new ArrayList<>(extra);
    aggregates.addAll(List.of(
        countIf(inbound).as("sessions"),
        countIf(col("inbound").equalTo(false)).as("outbound_sessions"),
        countIf(answered).as("answered_sessions"),
        percentiles("_frt_answered", 0.5, 0.9).as(FRT_QUANTILES),
        countIf(inbound.and(col("sla_met"))).as("_sla_met"),
        percentile("_aht_inbound", 0.5).as("aht_median_s"),
        countIf(inbound.and(col("resolved"))).as("_resolved"),
        countIf(inbound.and(col("fcr"))).as("_fcr"),
        countIf(inbound.and(col("transferred"))).as("_transferred"),
        countIf(inbound.and(col("followed_up"))).as("_followed_up"),
        countIf(surveyed).as("surveys"),
        avg(when(surveyed, col("csat"))).as("csat_mean"),
        countIf(surveyed.and(col("csat").geq(satisfiedThreshold))).as("_satisfied"),
        countIf(npsAnswered).as("nps_responses"),
        countIf(npsAnswered.and(col("nps").geq(9))).as("_promoters"),
        countIf(npsAnswered.and(col("nps").leq(6))).as("_detractors"),
        sum(when(inbound, col("qa_audits"))).as("qa_audits"),
        sum(when(inbound, col("qa_score_sum"))).as("_qa_score_sum"),
        sum(when(inbound, col("qa_accuracy_audits"))).as("qa_accuracy_audits"),
        sum(when(inbound, col("qa_accuracy_sum"))).as("_qa_accuracy_sum"),
        sum(when(inbound, col("qa_critical_errors"))).as("_qa_critical_errors"),
        countIf(inbound.and(col("sales").gt(0))).as("converted_sessions"),
        sum("sales").as("attributed_sales"),
        sum("refunds").as("attributed_refunds"),
        sum("attributed_revenue").cast(SessionFacts.AMOUNT_TYPE).as("revenue"),
        sum("aht_s").as("_handle_seconds"),
        max("is_final").as("is_final")));
    return aggregates.toArray(new Column[0]);
  }

  /** Reply-turn count and percentiles per group of the inbound sessions' turns. */
  static Dataset<Row> turnAggregates(Dataset<Row> turnsWithGroup, String... groupColumns) {
    Column[] keys = Arrays.stream(groupColumns).map(name -> col(name)).toArray(Column[]::new);
    return turnsWithGroup
        .groupBy(keys)
        .agg(count(lit(1)).as("reply_turns"),
            percentiles("reply_s", 0.5, 0.9).as("_reply_quantiles"))
        .withColumn("reply_time_median_s", col("_reply_quantiles").getItem(0))
        .withColumn("reply_time_p90_s", col("_reply_quantiles").getItem(1))
        .drop("_reply_quantiles");
  }

  /** Review sums per group from the per-consultant sums of {@link PersonFacts#reviews}. */
  static Column[] reviewSums() {
    List<Column> sums = new ArrayList<>();
    for (String relation : PersonFacts.RELATIONS) {
      sums.add(sum(PersonFacts.reviewCount(relation)).as(PersonFacts.reviewCount(relation)));
      sums.add(sum(PersonFacts.reviewSum(relation)).as(PersonFacts.reviewSum(relation)));
    }
    return sums.toArray(new Column[0]);
  }

  /** Work-time sums per group from the per-consultant sums of {@link PersonFacts#workTime}. */
  static Column[] workSums() {
    return new Column[] {sum("logged_in_minutes").as("logged_in_minutes"), sum("work_days").as("work_days")};
  }

  /**
   * Left-joins the turn, review and work-time aggregates (each null when its source is absent)
   * to the session aggregates on the given keys; an absent part adds its columns as nulls.
   */
  static Dataset<Row> joinParts(Dataset<Row> sessionSums, Dataset<Row> turns, Dataset<Row> reviews,
      Dataset<Row> work, String... keys) {
    Dataset<Row> joined = sessionSums;
    joined = turns == null
        ? joined.withColumn("reply_turns", lit(null).cast("long"))
            .withColumn("reply_time_median_s", lit(null).cast("double"))
            .withColumn("reply_time_p90_s", lit(null).cast("double"))
        : joined.join(turns, asSeq(keys), "left");
    if (reviews == null) {
      for (String relation : PersonFacts.RELATIONS) {
        joined = joined.withColumn(PersonFacts.reviewCount(relation), lit(null).cast("long"))
            .withColumn(PersonFacts.reviewSum(relation), lit(null).cast("double"));
      }
    } else {
      joined = joined.join(reviews, asSeq(keys), "left");
    }
    return work == null
        ? joined.withColumn("logged_in_minutes", lit(null).cast("double")).withColumn("work_days", lit(null).cast("long"))
        : joined.join(work, asSeq(keys), "left");
  }

  /** Applies the aggregations to the grouped rows (agg takes a first column and the rest). */
  static Dataset<Row> agg(RelationalGroupedDataset grouped, Column[] aggregates) {
    return grouped.agg(aggregates[0], Arrays.copyOfRange(aggregates, 1, aggregates.length));
  }

  /**
   * Aggregates the session facts per group with {@link #sessionAggregates}, splits the
   * first-response percentiles and adds customers, the distinct customers of the inbound
   * sessions. Customers are counted in their own aggregation: with a distinct count in the same
   * aggregation, Spark groups by customer too, and each pair of group and customer got its own
   * buffers for the exact percentiles.
   */
  static Dataset<Row> aggregateSessions(Dataset<Row> facts, String[] keys, Column[] aggregates) {
    Column[] keyColumns = Arrays.stream(keys).map(name -> col(name)).toArray(Column[]::new);
    Dataset<Row> sums = agg(withPercentileInputs(facts).groupBy(keyColumns), aggregates)
        .withColumn("frt_median_s", col(FRT_QUANTILES).getItem(0))
        .withColumn("frt_p90_s", col(FRT_QUANTILES).getItem(1))
        .drop(FRT_QUANTILES);
    Column[] customerColumns = Arrays.copyOf(keyColumns, keys.length + 1);
    customerColumns[keys.length] = col("customer_key");
    Dataset<Row> customers = facts.filter(col("inbound").and(col("customer_key").isNotNull()))
        .select(customerColumns)
        .distinct()
        .groupBy(keyColumns)
        .agg(count(lit(1)).as("customers"));
    return sums.join(customers, asSeq(keys), "left")
        .withColumn("customers", coalesce(col("customers"), lit(0L)));
  }

  static scala.collection.Seq<String> asSeq(String... names) {
    return scala.collection.JavaConverters.asScalaBuffer(List.of(names)).toSeq();
  }

  /**
   * Computes every metric from the sums of a joined row of session aggregates, turn aggregates,
   * review sums and work-time sums, then sets the columns of absent sources to null.
   */
  static Dataset<Row> finish(Dataset<Row> sums, Map<String, Double> reviewWeights, Set<String> presentSources) {
    Dataset<Row> rows = sums
        .withColumn("answered_rate", rate(col("answered_sessions"), col("sessions")))
        .withColumn("sla_rate", rate(col("_sla_met"), col("sessions")))
        .withColumn("resolution_rate", rate(col("_resolved"), col("sessions")))
        .withColumn("fcr_rate", rate(col("_fcr"), col("sessions")))
        .withColumn("transfer_rate", rate(col("_transferred"), col("sessions")))
        .withColumn("follow_up_rate", rate(col("_followed_up"), col("sessions")))
        .withColumn("reply_turns", coalesce(col("reply_turns"), lit(0L)))
        .withColumn("survey_response_rate", rate(col("surveys"), col("sessions")))
        .withColumn("csat_satisfied_rate", rate(col("_satisfied"), col("surveys")))
        .withColumn("nps", rate(col("_promoters").minus(col("_detractors")), col("nps_responses")).multiply(100))
        // A group with outbound sessions only sums no inbound audit counts; its count is 0.
        .withColumn("qa_audits", coalesce(col("qa_audits"), lit(0L)))
        .withColumn("qa_accuracy_audits", coalesce(col("qa_accuracy_audits"), lit(0L)))
        .withColumn("qa_score_mean", rate(col("_qa_score_sum"), col("qa_audits")))
        .withColumn("qa_accuracy_mean", rate(col("_qa_accuracy_sum"), col("qa_accuracy_audits")))
        .withColumn("critical_error_rate", rate(col("_qa_critical_errors"), col("qa_audits")))
        .withColumn("conversion_rate", rate(col("converted_sessions"), col("sessions")))
        .withColumn("revenue_per_session", rate(col("revenue"), col("sessions")))
        .withColumn("refund_rate", rate(col("attributed_refunds"), col("attributed_sales")))
        .withColumn("work_days", coalesce(col("work_days"), lit(0L)))
        .withColumn("logged_in_hours", coalesce(col("logged_in_minutes"), lit(0.0)).divide(60))
        .withColumn("sessions_per_hour",
            rate(col("sessions").plus(col("outbound_sessions")), col("logged_in_hours")))
        .withColumn("occupancy_rate", rate(col("_handle_seconds"), col("logged_in_hours").multiply(3600)));
    rows = withReviewMeans(rows, reviewWeights);
    return nullAbsent(rows, presentSources);
  }

  /**
   * Adds each relation's mean, review_360_mean (weighted over the manager, peer and subordinate
   * means that exist, weights re-normalized over them) and self_gap.
   */
  private static Dataset<Row> withReviewMeans(Dataset<Row> rows, Map<String, Double> weights) {
    Dataset<Row> result = rows;
    Column weighted = lit(0.0);
    Column weightTotal = lit(0.0);
    Column count360 = lit(0L);
    for (String relation : PersonFacts.RELATIONS) {
      Column count = coalesce(col(PersonFacts.reviewCount(relation)), lit(0L));
      Column mean = rate(col(PersonFacts.reviewSum(relation)), count);
      result = result
          .withColumn(PersonFacts.reviewCount(relation), count)
          .withColumn("review_" + relation + "_mean", mean);
      Double weight = weights.get(relation);
      if (weight != null) {
        Column present = col("review_" + relation + "_mean").isNotNull();
        weighted = weighted.plus(when(present, col("review_" + relation + "_mean").multiply(weight)).otherwise(0.0));
        weightTotal = weightTotal.plus(when(present, lit(weight)).otherwise(0.0));
        count360 = count360.plus(col(PersonFacts.reviewCount(relation)));
      }
    }
    return result
        .withColumn("review_360_count", count360)
        .withColumn("review_360_mean", rate(weighted, weightTotal))
        .withColumn("self_gap", col("review_self_mean").minus(col("review_360_mean")));
  }

  private static Dataset<Row> nullAbsent(Dataset<Row> rows, Set<String> presentSources) {
    Dataset<Row> result = rows;
    for (Map.Entry<String, List<String>> source : COLUMNS_BY_SOURCE.entrySet()) {
      if (presentSources.contains(source.getKey())) {
        continue;
      }
      for (String column : source.getValue()) {
        result = result.withColumn(column, lit(null).cast(result.schema().apply(column).dataType()));
      }
    }
    return result;
  }

  static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  /** numerator / denominator as a double; null when the denominator is 0 or null. */
  static Column rate(Column numerator, Column denominator) {
    return when(denominator.gt(0), numerator.cast("double").divide(denominator.cast("double")));
  }

  /** percentile_disc ignores nulls, so rows outside the metric's population drop out. */
  private static Column percentile(String column, double quantile) {
    return expr("percentile_disc(" + quantile + ") WITHIN GROUP (ORDER BY " + column + ")");
  }

  /**
   * Returns the exact percentiles of {@link #percentile} as an array, in the order given. One
   * aggregate for several quantiles keeps one buffer of the group's values instead of one per
   * quantile.
   */
  private static Column percentiles(String column, double... quantiles) {
    String list = Arrays.stream(quantiles).mapToObj(Double::toString).collect(Collectors.joining(", "));
    return expr("percentile_disc(array(" + list + ")) WITHIN GROUP (ORDER BY " + column + ")");
  }

  /** Adds the value columns the percentiles of {@link #sessionAggregates} read. */
  static Dataset<Row> withPercentileInputs(Dataset<Row> facts) {
    Column answered = col("inbound").and(col("answered"));
    return facts
        .withColumn("_frt_answered", when(answered, col("frt_s")))
        .withColumn("_aht_inbound", when(col("inbound"), col("aht_s")));
  }
}
