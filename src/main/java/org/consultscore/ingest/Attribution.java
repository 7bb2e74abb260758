package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Attributes outcomes to sessions. An outcome whose session_id is a valid session belongs to
 * it. Otherwise it belongs to the latest inbound session of the same customer with
 * started_at &lt;= occurred_at &lt;= ended_at + window: the one with the greatest started_at,
 * and on equal started_at the greatest session_id. Else it is unattributed.
 *
 * <p>The customer rule is a range join bounded by the window, not a join of all sessions of
 * a customer, whose size would grow with the square of that customer's sessions. Time is cut
 * into buckets as wide as the window (at least one hour). A session is copied into every
 * bucket that its reach [started_at, ended_at + window] overlaps, and an outcome is joined
 * only with the sessions of its customer in its own bucket, where the exact condition is then
 * checked. Each matching pair meets in exactly one bucket, the outcome's, so no pair is
 * counted twice. An outcome is compared only with the sessions of its customer that reach
 * into its bucket: those started less than one bucket after it and at most one bucket plus
 * the window plus the session's length before it.
 */
final class Attribution {
  /** Column of the session an outcome is attributed to; null when unattributed. */
  static final String SESSION = "_attributed_session";

  private static final long MIN_BUCKET_MICROS = 3_600_000_000L;
  private static final String BUCKET = "_time_bucket";

  private Attribution() {}

  static Dataset<Row> attribute(Dataset<Row> outcomes, Dataset<Row> sessions, long windowSeconds) {
    Dataset<Row> known = sessions.select(col("session_id").as("_known_session"));
    // Outcomes are few next to the sessions: they are the hash joins' build side, so the
    // sessions and their bucket copies are not sorted.
    Dataset<Row> withKnown = outcomes.hint("shuffle_hash")
        .join(known, col("session_id").equalTo(col("_known_session")), "left");

    Dataset<Row> byCustomer = latestInboundSession(withKnown.filter(col("_known_session").isNull()),
        sessions, windowSeconds);
    Dataset<Row> bySession = withKnown.filter(col("_known_session").isNotNull())
        .withColumn(SESSION, col("_known_session"));
    return bySession.drop("_known_session").unionByName(byCustomer.drop("_known_session"));
  }

  /** Adds {@link #SESSION}: the latest inbound session of the outcome's customer that it falls in. */
  private static Dataset<Row> latestInboundSession(Dataset<Row> outcomes, Dataset<Row> sessions,
      long windowSeconds) {
    long windowMicros = windowSeconds * 1_000_000L;
    long bucketMicros = Math.max(windowMicros, MIN_BUCKET_MICROS);

    Dataset<Row> reaches = sessions
        .filter(col("initiated_by").equalTo("customer"))
        .select(
            col("customer_id").as("_session_customer"),
            col("session_id").as("_candidate_session"),
            unix_micros(col("started_at")).as("_start_micros"),
            unix_micros(col("ended_at")).plus(windowMicros).as("_reach_micros"))
        .withColumn(BUCKET, explode(sequence(
            bucketOf(col("_start_micros"), bucketMicros), bucketOf(col("_reach_micros"), bucketMicros))));
    Dataset<Row> points = outcomes
        .filter(col("customer_id").isNotNull())
        .select(
            col("outcome_id").as("_matched_outcome"),
            col("customer_id").as("_outcome_customer"),
            unix_micros(col("occurred_at")).as("_occurred_micros"))
        .withColumn(BUCKET, bucketOf(col("_occurred_micros"), bucketMicros));

    Column sameBucket = col("_outcome_customer").equalTo(col("_session_customer"))
        .and(points.col(BUCKET).equalTo(reaches.col(BUCKET)));
    Column inReach = col("_start_micros").leq(col("_occurred_micros"))
        .and(col("_occurred_micros").leq(col("_reach_micros")));
    // max of (started_at, session_id) picks the latest session and breaks ties on the id.
    Dataset<Row> matched = points.hint("shuffle_hash").join(reaches, sameBucket.and(inReach))
        .groupBy("_matched_outcome")
        .agg(max(struct(col("_start_micros"), col("_candidate_session"))).as("_latest"))
        .select(col("_matched_outcome"), col("_latest._candidate_session").as(SESSION));
    return outcomes
        .join(matched, col("outcome_id").equalTo(col("_matched_outcome")), "left")
        .drop("_matched_outcome");
  }

  /** Index of the bucket of a time in microseconds; monotonic in the time. */
  private static Column bucketOf(Column micros, long bucketMicros) {
    return floor(micros.divide(bucketMicros));
  }
}
