package org.consultscore.metrics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;

/**
 * One row per session of the run's periods with the facts the metrics aggregate: period,
 * first response and handle time in seconds, SLA, resolution, transfer, the counted survey,
 * first-contact resolution, follow-up, audits and attributed outcomes. The customer appears
 * only as a keyed SHA-256 pseudonym.
 */
final class SessionFacts {
  static final String AMOUNT_TYPE = "decimal(18,2)";

  private SessionFacts() {}

  static Dataset<Row> build(Metrics.Inputs inputs, AppConfig config, RunContext run) {
    Dataset<Row> sessions = ContactWindows.withFlags(inputs.sessions(), config.fcrWindowSeconds(),
        config.followUpWindowSeconds());
    Dataset<Row> surveys = inputs.surveys();
    Column periodStart = to_date(date_trunc(run.truncUnit(), col("started_at")));
    Column responseBase = coalesce(col("assigned_at"), col("started_at"));
    Column frtSeconds = seconds(col("first_response_at"), responseBase);
    Column slaSeconds = slaSeconds(config);

    Dataset<Row> inWindow = sessions
        .withColumn("period_start", periodStart)
        .filter(col("period_start").geq(lit(Date.valueOf(run.first())))
            .and(col("period_start").lt(lit(Date.valueOf(run.endExclusive())))));

    Dataset<Row> facts = inWindow
        .withColumn("period_grain", lit(run.grain()))
        .withColumn("inbound", col("initiated_by").equalTo("customer"))
        .withColumn("answered", col("first_response_at").isNotNull())
        .withColumn("frt_s", frtSeconds)
        .withColumn("aht_s", seconds(col("ended_at"), col("started_at")))
        .withColumn("sla_seconds", slaSeconds)
        .withColumn("sla_met", col("answered").and(col("frt_s").leq(col("sla_seconds"))))
        .withColumn("resolved", coalesce(col("resolved"), lit(false)))
        .withColumn("transferred", coalesce(col("transferred"), lit(false)))
        .withColumn("customer_key", sha2(concat_ws("|", lit(config.pseudonymKey()), col("customer_id")), 256))
        .withColumn("is_final", isFinal(run));

    // The survey, audit and outcome rows of a session are joined by shuffled hash joins that
    // build on their side, so the sessions, the largest side, are not sorted for each join.
    if (surveys != null) {
      Dataset<Row> counted = surveys.select(
          col("session_id").as("_survey_session"), col("csat"), col("nps"))
          .hint("shuffle_hash");
      facts = facts
          .join(counted, col("session_id").equalTo(col("_survey_session")), "left")
          .drop("_survey_session");
    } else {
      facts = facts.withColumn("csat", lit(null).cast("int")).withColumn("nps", lit(null).cast("int"));
    }
    facts = withAudits(facts, inputs.qaAudits());
    facts = withOutcomes(facts, inputs.outcomes());
    return facts.select(
        col("period_grain"), col("period_start"), col("session_id"), col("consultant_id"),
        col("display_name"), col("team_id"), col("business_line"), col("level"), col("channel"),
        col("initiated_by"), col("inbound"), col("customer_key"),
        col("started_at"), col("ended_at"), col("answered"), col("frt_s"), col("aht_s"),
        col("sla_seconds"), col("sla_met"), col("resolved"), col("transferred"), col("csat"),
        col("nps"), col("fcr"), col("followed_up"), col("qa_audits"), col("qa_score"), col("qa_score_sum"),
        col("qa_accuracy_audits"), col("qa_accuracy_sum"), col("qa_critical_errors"), col("sales"),
        col("refunds"), col("attributed_revenue"), col("is_final"));
  }

  /**
   * Adds the session's audits: their count, qa_score (mean over audits of the mean of their
   * non-null items) and the sums the metrics aggregate. Null when the source is absent.
   */
  private static Dataset<Row> withAudits(Dataset<Row> facts, Dataset<Row> audits) {
    if (audits == null) {
      return facts
          .withColumn("qa_audits", lit(null).cast("long"))
          .withColumn("qa_score_sum", lit(null).cast("double"))
          .withColumn("qa_accuracy_audits", lit(null).cast("long"))
          .withColumn("qa_accuracy_sum", lit(null).cast("double"))
          .withColumn("qa_critical_errors", lit(null).cast("long"))
          .withColumn("qa_score", lit(null).cast("double"));
    }
    Dataset<Row> perSession = audits
        .withColumn("_audit_score", itemMean("accuracy", "compliance", "professionalism", "communication"))
        .groupBy(col("session_id").as("_audit_session"))
        .agg(count(lit(1)).as("_audits"),
            sum("_audit_score").as("_score_sum"),
            count(col("accuracy")).as("_accuracy_audits"),
            sum("accuracy").as("_accuracy_sum"),
            sum(when(col("critical_error"), 1L).otherwise(0L)).as("_critical"))
        .hint("shuffle_hash");
    return facts
        .join(perSession, col("session_id").equalTo(col("_audit_session")), "left")
        .withColumn("qa_audits", coalesce(col("_audits"), lit(0L)))
        .withColumn("qa_score_sum", col("_score_sum"))
        .withColumn("qa_accuracy_audits", coalesce(col("_accuracy_audits"), lit(0L)))
        .withColumn("qa_accuracy_sum", col("_accuracy_sum"))
        .withColumn("qa_critical_errors", coalesce(col("_critical"), lit(0L)))
        .withColumn("qa_score", MetricAggregation.rate(col("qa_score_sum"), col("qa_audits")))
        .drop("_audit_session", "_audits", "_score_sum", "_accuracy_audits", "_accuracy_sum", "_critical");
  }

  /**
   * Adds the outcomes attributed to the session: sales (purchases and renewals), refunds and
   * attributed_revenue (sales amounts minus refund amounts). Null when the source is absent.
   */
  private static Dataset<Row> withOutcomes(Dataset<Row> facts, Dataset<Row> outcomes) {
    if (outcomes == null) {
      return facts
          .withColumn("sales", lit(null).cast("long"))
          .withColumn("refunds", lit(null).cast("long"))
          .withColumn("attributed_revenue", lit(null).cast(AMOUNT_TYPE));
    }
    Column refund = col("outcome_type").equalTo("refund");
    Dataset<Row> perSession = outcomes
        .groupBy(col("session_id").as("_outcome_session"))
        .agg(sum(when(refund, 0L).otherwise(1L)).as("_sales"),
            sum(when(refund, 1L).otherwise(0L)).as("_refunds"),
            sum(when(refund, col("amount").multiply(-1)).otherwise(col("amount"))).as("_revenue"))
        .hint("shuffle_hash");
    return facts
        .join(perSession, col("session_id").equalTo(col("_outcome_session")), "left")
        .withColumn("sales", coalesce(col("_sales"), lit(0L)))
        .withColumn("refunds", coalesce(col("_refunds"), lit(0L)))
        .withColumn("attributed_revenue", coalesce(col("_revenue"), lit(0)).cast(AMOUNT_TYPE))
        .drop("_outcome_session", "_sales", "_refunds", "_revenue");
  }

  /** Mean of the non-null values of the given columns; null when all are null. */
  static Column itemMean(String... items) {
    Column total = lit(0.0);
    Column present = lit(0);
    for (String item : items) {
      total = total.plus(coalesce(col(item), lit(0.0)));
      present = present.plus(when(col(item).isNotNull(), 1).otherwise(0));
    }
    return when(present.gt(0), total.divide(present));
  }

  /** Seconds from {@code from} to {@code to}, with microsecond precision; null if either is null. */
  static Column seconds(Column to, Column from) {
    return unix_micros(to).minus(unix_micros(from)).divide(1_000_000.0);
  }

  private static Column slaSeconds(AppConfig config) {
    Column sla = lit(config.slaSeconds());
    for (Map.Entry<String, Integer> channel : config.slaSecondsByChannel().entrySet()) {
      sla = when(col("channel").equalTo(channel.getKey()), lit(channel.getValue())).otherwise(sla);
    }
    return sla;
  }

  private static Column isFinal(RunContext run) {
    Column result = lit(false);
    for (LocalDate period : run.periods()) {
      result = when(col("period_start").equalTo(lit(Date.valueOf(period))), lit(run.isFinal(period)))
          .otherwise(result);
    }
    return result;
  }
}
