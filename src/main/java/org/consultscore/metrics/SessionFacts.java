package org.consultscore.metrics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
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
 * first response and handle time in seconds, SLA, resolution, transfer and the counted
 * survey. The customer appears only as a keyed SHA-256 pseudonym.
 */
final class SessionFacts {
  private SessionFacts() {}

  static Dataset<Row> build(Dataset<Row> sessions, Dataset<Row> surveys, AppConfig config, RunContext run) {
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

    if (surveys != null) {
      Dataset<Row> counted = surveys.select(
          col("session_id").as("_survey_session"), col("csat"), col("nps"));
      facts = facts
          .join(counted, col("session_id").equalTo(col("_survey_session")), "left")
          .drop("_survey_session");
    } else {
      facts = facts.withColumn("csat", lit(null).cast("int")).withColumn("nps", lit(null).cast("int"));
    }
    return facts.select(
        col("period_grain"), col("period_start"), col("session_id"), col("consultant_id"),
        col("display_name"), col("team_id"), col("business_line"), col("level"), col("channel"),
        col("initiated_by"), col("inbound"), col("customer_key"),
        col("started_at"), col("ended_at"), col("answered"), col("frt_s"), col("aht_s"),
        col("sla_seconds"), col("sla_met"), col("resolved"), col("transferred"), col("csat"),
        col("nps"), col("is_final"));
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
