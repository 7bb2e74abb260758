package org.consultscore.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The catalogue's definitions, shared by the consultant table and the team and business line
 * rollups: sums and counts per group, then the metrics computed from them.
 *
 * <p>Percentiles are exact: the value at rank ceil(q * n) of the n values in ascending order,
 * as {@code percentile_disc} defines it (the lower value for an even-sized median).
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

  /** Number of occurrences of a value in its group, in the input of the percentiles. */
  static final String VALUE_COUNT = "_value_count";

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
   * Aggregations of session facts except the percentiles, which {@link #aggregateSessions}
   * adds. Their buffers hold numbers and booleans only, so Spark aggregates the facts in a hash
   * map. A string buffer (first or min of a string column) would make it sort all the facts.
   */
  static Column[] sessionAggregates(int satisfiedThreshold) {
    Column inbound = col("inbound");
    Column answered = inbound.and(col("answered"));
    Column surveyed = inbound.and(col("csat").isNotNull());
    Column npsAnswered = inbound.and(col("nps").isNotNull());
    List<Column> aggregates = new ArrayList<>(List.of(
        countIf(inbound).as("sessions"),
        countIf(col("inbound").equalTo(false)).as("outbound_sessions"),
        countIf(answered).as("answered_sessions"),
        countIf(inbound.and(col("sla_met"))).as("_sla_met"),
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

  /**
   * Reply-turn count and percentiles per group, from the turn counts of
   * {@link ReplyTurns#countsByGroup} (one {@link #VALUE_COUNT} per group and reply_s).
   */
  static Dataset<Row> turnAggregates(Dataset<Row> turnCounts, String... groupColumns) {
    Column[] valueKey = withValue(groupColumns, "reply_s");
    Dataset<Row> counts = turnCounts.groupBy(valueKey).agg(sum(VALUE_COUNT).as(VALUE_COUNT));
    return percentilesOfCounts(counts, groupColumns, "reply_s", "reply_turns",
        List.of("reply_time_median_s", "reply_time_p90_s"), 0.5, 0.9);
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
   * Aggregates the session facts per group with {@link #sessionAggregates} and adds the
   * first-response and handle-time percentiles and customers, the distinct customers of the
   * inbound sessions. Customers and percentiles are computed apart from the sums, because with
   * a distinct count in the same aggregation Spark groups by customer too.
   */
  static Dataset<Row> aggregateSessions(Dataset<Row> facts, String[] keys, Column[] aggregates) {
    Column[] keyColumns = Arrays.stream(keys).map(name -> col(name)).toArray(Column[]::new);
    Dataset<Row> sums = agg(facts.groupBy(keyColumns), aggregates);

    Column answered = col("inbound").and(col("answered"));
    Dataset<Row> frt = percentiles(facts.withColumn("_frt_answered", when(answered, col("frt_s"))), keys,
        "_frt_answered", "_frt_values", List.of("frt_median_s", "frt_p90_s"), 0.5, 0.9)
        .drop("_frt_values");
    Dataset<Row> aht = percentiles(facts.withColumn("_aht_inbound", when(col("inbound"), col("aht_s"))), keys,
        "_aht_inbound", "_aht_values", List.of("aht_median_s"), 0.5)
        .drop("_aht_values");

    Dataset<Row> customers = facts.filter(col("inbound").and(col("customer_key").isNotNull()))
        .select(withValue(keys, "customer_key"))
        .distinct()
        .groupBy(keyColumns)
        .agg(count(lit(1)).as("customers"));
    return sums.join(frt, asSeq(keys), "left")
        .join(aht, asSeq(keys), "left")
        .join(customers, asSeq(keys), "left")
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

  /**
   * Returns, per group of {@code keys}, the number of non-null values of {@code value} (as
   * {@code countName}) and its exact percentiles, one column of {@code names} per quantile.
   *
   * <p>The percentile q is the smallest value whose running count in ascending order reaches
   * ceil(q * n), as percentile_disc defines it. It is computed from the count of each distinct
   * value (a hash aggregation) and a running sum over those counts. Spark 3.5's percentile_disc
   * keeps every group's values in an object buffer instead, and sorts all rows once a task has
   * more groups than spark.sql.objectHashAggregate.sortBased.fallbackThreshold (128 by
   * default). Nulls are left out, so rows outside the metric's population drop out, and a
   * group with no value has no row here.
   */
  static Dataset<Row> percentiles(Dataset<Row> rows, String[] keys, String value, String countName,
      List<String> names, double... quantiles) {
    Dataset<Row> counts = rows.filter(col(value).isNotNull())
        .groupBy(withValue(keys, value))
        .agg(count(lit(1)).as(VALUE_COUNT));
    return percentilesOfCounts(counts, keys, value, countName, names, quantiles);
  }

  /**
   * Like {@link #percentiles}, from rows that hold each distinct non-null value of a group once,
   * with its number of occurrences in {@link #VALUE_COUNT}.
   */
  private static Dataset<Row> percentilesOfCounts(Dataset<Row> counts, String[] keys, String value,
      String countName, List<String> names, double... quantiles) {
    Column[] keyColumns = Arrays.stream(keys).map(name -> col(name)).toArray(Column[]::new);
    WindowSpec group = Window.partitionBy(keyColumns);
    WindowSpec ascending = group.orderBy(col(value)).rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> running = counts
        .withColumn("_running_count", sum(VALUE_COUNT).over(ascending))
        .withColumn(countName, sum(VALUE_COUNT).over(group));

    List<Column> picks = new ArrayList<>();
    picks.add(max(countName).as(countName));
    for (int i = 0; i < quantiles.length; i++) {
      Column rank = ceil(lit(quantiles[i]).multiply(col(countName)));
      picks.add(min(when(col("_running_count").geq(rank), col(value))).cast("double").as(names.get(i)));
    }
    return agg(running.groupBy(keyColumns), picks.toArray(new Column[0]));
  }

  /** Returns the key columns followed by the value column, e.g. to group by both. */
  private static Column[] withValue(String[] keys, String value) {
    Column[] columns = new Column[keys.length + 1];
    for (int i = 0; i < keys.length; i++) {
      columns[i] = col(keys[i]);
    }
    columns[keys.length] = col(value);
    return columns;
  }
}
