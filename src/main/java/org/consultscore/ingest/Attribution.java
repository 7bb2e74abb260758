package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Attributes outcomes to sessions. An outcome whose session_id is a valid session belongs to
 * it. Otherwise it belongs to the latest inbound session of the same customer with
 * started_at &lt;= occurred_at &lt;= ended_at + window; else it is unattributed.
 *
 * <p>The customer rule runs without a join on customer_id, whose size would grow with the
 * square of a customer's sessions. Inbound sessions and outcomes are unioned into one event
 * list per customer, sorted by time (a session before an outcome at the same instant), and
 * each outcome takes the last session seen so far (last value, ignoring nulls, over a
 * window from the customer's first event to the outcome).
 */
final class Attribution {
  /** Column of the session an outcome is attributed to; null when unattributed. */
  static final String SESSION = "_attributed_session";

  private static final String KIND = "_event_kind";
  private static final int SESSION_EVENT = 0;
  private static final int OUTCOME_EVENT = 1;

  private Attribution() {}

  static Dataset<Row> attribute(Dataset<Row> outcomes, Dataset<Row> sessions, long windowSeconds) {
    Dataset<Row> known = sessions.select(col("session_id").as("_known_session"));
    Dataset<Row> withKnown = outcomes
        .join(known, col("session_id").equalTo(col("_known_session")), "left");

    Dataset<Row> byCustomer = latestInboundSession(withKnown.filter(col("_known_session").isNull()),
        sessions, windowSeconds);
    Dataset<Row> bySession = withKnown.filter(col("_known_session").isNotNull())
        .withColumn(SESSION, col("_known_session"));
    return bySession.drop("_known_session").unionByName(byCustomer.drop("_known_session"));
  }

  /**
   * NOTE: the candidate is the customer's latest inbound session started at or before the
   * outcome. When that session ended more than the window before the outcome, the outcome
   * stays unattributed even if an earlier, longer session of the customer that encloses it
   * in time would qualify; sessions of one customer rarely nest that way.
   */
  private static Dataset<Row> latestInboundSession(Dataset<Row> outcomes, Dataset<Row> sessions,
      long windowSeconds) {
    Dataset<Row> sessionEvents = sessions
        .filter(col("initiated_by").equalTo("customer"))
        .select(
            col("customer_id").as("_customer"),
            unix_micros(col("started_at")).as("_event_time"),
            lit(SESSION_EVENT).as(KIND),
            struct(col("started_at"), col("ended_at"), col("session_id")).as("_session"),
            lit(null).cast("string").as("outcome_id"));
    Dataset<Row> outcomeEvents = outcomes.select(
        col("customer_id").as("_customer"),
        unix_micros(col("occurred_at")).as("_event_time"),
        lit(OUTCOME_EVENT).as(KIND),
        lit(null).cast(sessionEvents.schema().apply("_session").dataType()).as("_session"),
        col("outcome_id"));

    WindowSpec upToEvent = Window.partitionBy("_customer")
        .orderBy(col("_event_time"), col(KIND))
        .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column latest = last(col("_session"), true).over(upToEvent);
    long windowMicros = windowSeconds * 1_000_000L;
    Column inWindow = col("_event_time").leq(unix_micros(col("_latest.ended_at")).plus(windowMicros));

    Dataset<Row> matched = sessionEvents.unionByName(outcomeEvents)
        .filter(col("_customer").isNotNull())
        .withColumn("_latest", latest)
        .filter(col(KIND).equalTo(OUTCOME_EVENT))
        .select(col("outcome_id").as("_matched_outcome"), when(inWindow, col("_latest.session_id")).as(SESSION));
    return outcomes
        .join(matched, col("outcome_id").equalTo(col("_matched_outcome")), "left")
        .drop("_matched_outcome");
  }
}
