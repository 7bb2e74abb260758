package org.consultscore.metrics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Repeat contacts and follow-ups after an inbound session, over every valid session of the
 * input (not only the run's periods), because a repeat contact may fall into a later period.
 *
 * <p>Neither flag uses a join of a customer's sessions with each other, whose size would grow
 * with the square of that customer's sessions. Session ends and session starts are unioned
 * into one event list per partition (customer, or consultant and customer), sorted by time
 * descending with an end before a start at the same instant. For each end, the minimum start
 * time over the events before it in that order is the first start strictly after the end.
 * That frame runs from the partition's start to the previous row, which Spark evaluates
 * incrementally in one pass over the sorted events.
 */
final class ContactWindows {
  static final String NEXT_INBOUND_START = "_next_inbound_start";
  static final String NEXT_OUTBOUND_START = "_next_outbound_start";

  private static final String TIME = "_event_micros";
  private static final String IS_START = "_is_start";
  private static final String END_MICROS = "_end_micros";

  private ContactWindows() {}

  /**
   * Adds fcr and followed_up to each session. fcr is true for a resolved inbound session whose
   * customer opens no other inbound session in (ended_at, ended_at + fcrWindow]. followed_up is
   * true when the same consultant starts an outbound session to the same customer in
   * (ended_at, ended_at + followUpWindow]. Both are null for outbound sessions.
   */
  static Dataset<Row> withFlags(Dataset<Row> sessions, long fcrWindowSeconds, long followUpWindowSeconds) {
    Column inbound = col("initiated_by").equalTo("customer");
    Dataset<Row> inboundSessions = sessions.filter(inbound);
    Dataset<Row> withNextInbound = nextStart(inboundSessions, inboundSessions,
        new String[] {"customer_id"}, NEXT_INBOUND_START);
    Dataset<Row> withNextOutbound = nextStart(inboundSessions,
        sessions.filter(col("initiated_by").equalTo("consultant")),
        new String[] {"consultant_id", "customer_id"}, NEXT_OUTBOUND_START);

    Column endMicros = col(END_MICROS);
    Column repeatContact = col(NEXT_INBOUND_START).leq(endMicros.plus(fcrWindowSeconds * 1_000_000L));
    Column followUp = col(NEXT_OUTBOUND_START).leq(endMicros.plus(followUpWindowSeconds * 1_000_000L));
    // Shuffled hash joins on session_id, so the sessions are not sorted for them.
    Dataset<Row> flags = withNextInbound
        .join(withNextOutbound.select("session_id", NEXT_OUTBOUND_START).hint("shuffle_hash"), "session_id")
        .select(col("session_id").as("_flag_session"),
            col("resolved_flag").and(not(coalesce(repeatContact, lit(false)))).as("fcr"),
            coalesce(followUp, lit(false)).as("followed_up"))
        .hint("shuffle_hash");
    return sessions
        .join(flags, col("session_id").equalTo(col("_flag_session")), "left")
        .drop("_flag_session");
  }

  /**
   * Adds to each session of {@code ends} the first start time (microseconds) of a session of
   * {@code starts} in the same partition that starts strictly after its ended_at; null if none.
   */
  private static Dataset<Row> nextStart(Dataset<Row> ends, Dataset<Row> starts, String[] partition,
      String name) {
    Dataset<Row> endEvents = ends.select(keys(partition, col("session_id"), unix_micros(col("ended_at")).as(TIME),
        lit(false).as(IS_START), coalesceResolved()));
    Dataset<Row> startEvents = starts.select(keys(partition, lit(null).cast("string").as("session_id"),
        unix_micros(col("started_at")).as(TIME), lit(true).as(IS_START), lit(false).as("resolved_flag")));

    WindowSpec laterEvents = Window.partitionBy(partition[0], tail(partition))
        .orderBy(col(TIME).desc(), col(IS_START).asc())
        .rowsBetween(Window.unboundedPreceding(), -1);
    Column firstLaterStart = min(when(col(IS_START), col(TIME))).over(laterEvents);
    return endEvents.unionByName(startEvents)
        .withColumn(name, firstLaterStart)
        .filter(col(IS_START).equalTo(false))
        .select(col("session_id"), col("resolved_flag"), col(TIME).as(END_MICROS), col(name));
  }

  private static Column coalesceResolved() {
    return when(col("resolved").equalTo(true), lit(true)).otherwise(lit(false)).as("resolved_flag");
  }

  private static Column[] keys(String[] partition, Column... others) {
    Column[] all = new Column[partition.length + others.length];
    for (int i = 0; i < partition.length; i++) {
      all[i] = col(partition[i]);
    }
    System.arraycopy(others, 0, all, partition.length, others.length);
    return all;
  }

  private static String[] tail(String[] names) {
    String[] rest = new String[names.length - 1];
    System.arraycopy(names, 1, rest, 0, rest.length);
    return rest;
  }
}
