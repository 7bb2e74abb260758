package org.consultscore.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked cases of the customer rule of attribution: the latest inbound session of the
 * customer with started_at &lt;= occurred_at &lt;= ended_at + window. Most cases use a one-hour
 * window on 2026-09-01, so the expected session can be read off the times.
 */
class AttributionTest {
  private static final long HOUR = 3_600;
  private static final long WEEK = 7 * 86_400;

  private static final StructType SESSIONS = new StructType()
      .add("session_id", DataTypes.StringType)
      .add("customer_id", DataTypes.StringType)
      .add("initiated_by", DataTypes.StringType)
      .add("started_at", DataTypes.TimestampType)
      .add("ended_at", DataTypes.TimestampType);
  private static final StructType OUTCOMES = new StructType()
      .add("outcome_id", DataTypes.StringType)
      .add("customer_id", DataTypes.StringType)
      .add("session_id", DataTypes.StringType)
      .add("occurred_at", DataTypes.TimestampType);

  private static final List<Row> SESSION_ROWS = List.of(
      // U1: "inner" runs inside "outer".
      session("outer", "U1", "customer", "09-01 10:00:00", "09-01 14:00:00"),
      session("inner", "U1", "customer", "09-01 11:00:00", "09-01 11:30:00"),
      // U2: "early" and "late" overlap without nesting.
      session("early", "U2", "customer", "09-01 10:00:00", "09-01 11:00:00"),
      session("late", "U2", "customer", "09-01 10:30:00", "09-01 12:00:00"),
      // U3: two sessions start at the same instant.
      session("tie-a", "U3", "customer", "09-01 10:00:00", "09-01 10:20:00"),
      session("tie-b", "U3", "customer", "09-01 10:00:00", "09-01 10:10:00"),
      // U4: an outbound session is never a match for the customer rule.
      session("in-4", "U4", "customer", "09-01 10:00:00", "09-01 10:10:00"),
      session("out-4", "U4", "consultant", "09-01 10:30:00", "09-01 10:40:00"));

  private static Map<String, String> hourly;
  private static int hourlyRows;

  @BeforeAll
  static void attributeWithOneHourWindow() {
    List<Row> outcomes = List.of(
        outcome("o-inside-both", "U1", null, "09-01 11:10:00"),
        outcome("o-inner-edge", "U1", null, "09-01 12:30:00"),
        outcome("o-inner-past", "U1", null, "09-01 12:30:01"),
        outcome("o-outer-start", "U1", null, "09-01 10:00:00"),
        outcome("o-outer-edge", "U1", null, "09-01 15:00:00"),
        outcome("o-outer-past", "U1", null, "09-01 15:00:01"),
        outcome("o-before", "U1", null, "09-01 09:59:59"),
        outcome("o-overlap", "U2", null, "09-01 10:45:00"),
        outcome("o-overlap-after", "U2", null, "09-01 11:30:00"),
        outcome("o-overlap-past", "U2", null, "09-01 13:00:01"),
        outcome("o-tie", "U3", null, "09-01 10:05:00"),
        outcome("o-tie-longer", "U3", null, "09-01 11:15:00"),
        outcome("o-after-outbound", "U4", null, "09-01 10:45:00"),
        outcome("o-outbound-past", "U4", null, "09-01 11:10:01"),
        outcome("o-known", "U1", "out-4", "09-01 11:10:00"),
        outcome("o-unknown-session", "U1", "ghost", "09-01 11:10:00"),
        outcome("o-no-customer", null, "ghost", "09-01 11:10:00"),
        outcome("o-other-customer", "U9", null, "09-01 11:10:00"));
    List<Row> rows = attribute(outcomes, HOUR);
    hourlyRows = rows.size();
    hourly = sessionsByOutcome(rows);
  }

  @Test
  void everyOutcomeAppearsOnce() {
    assertEquals(18, hourlyRows, "rows out of 18 outcomes, sessions copied into several buckets");
    assertEquals(18, hourly.size(), "distinct outcome ids");
  }

  @Test
  void nestedSessionsPreferLatestStart() {
    assertEquals("inner", hourly.get("o-inside-both"), "outcome inside both sessions");
    assertEquals("inner", hourly.get("o-inner-edge"), "outcome at the inner session's end + window");
  }

  @Test
  void enclosingSessionCatchesLaterOutcome() {
    assertEquals("outer", hourly.get("o-inner-past"),
        "one second after the inner session's reach, the outer session still encloses the outcome");
  }

  @Test
  void windowEdgeCountsOneSecondLaterNot() {
    assertEquals("outer", hourly.get("o-outer-start"), "outcome at the outer session's started_at");
    assertEquals("outer", hourly.get("o-outer-edge"), "outcome exactly at ended_at + window");
    assertNull(hourly.get("o-outer-past"), "outcome one second after ended_at + window");
    assertNull(hourly.get("o-before"), "outcome one second before the first session");
  }

  @Test
  void overlappingSessionsPreferLatestStart() {
    assertEquals("late", hourly.get("o-overlap"), "outcome inside both overlapping sessions");
    assertEquals("late", hourly.get("o-overlap-after"), "outcome in both sessions' windows");
    assertNull(hourly.get("o-overlap-past"), "outcome after both windows");
  }

  @Test
  void equalStartsPickGreatestSessionId() {
    assertEquals("tie-b", hourly.get("o-tie"), "equal started_at: tie-b sorts after tie-a");
    assertEquals("tie-a", hourly.get("o-tie-longer"), "only tie-a's window still contains the outcome");
  }

  @Test
  void outboundSessionIsNoCustomerMatch() {
    assertEquals("in-4", hourly.get("o-after-outbound"), "inbound session before the outbound one");
    assertNull(hourly.get("o-outbound-past"), "inside the outbound session's window only");
  }

  @Test
  void sessionIdDecidesWhenKnown() {
    assertEquals("out-4", hourly.get("o-known"), "a known session_id wins, outbound included");
    assertEquals("inner", hourly.get("o-unknown-session"), "an unknown session_id falls back to the customer");
    assertNull(hourly.get("o-no-customer"), "unknown session_id and no customer");
    assertNull(hourly.get("o-other-customer"), "customer without sessions");
  }

  @Test
  void weekWindowSpansBuckets() {
    List<Row> sessions = List.of(
        session("long", "U1", "customer", "09-01 00:30:00", "09-01 23:30:00"),
        session("short", "U1", "customer", "09-01 01:00:00", "09-01 01:05:00"));
    List<Row> outcomes = List.of(
        outcome("w-short-edge", "U1", null, "09-08 01:05:00"),
        outcome("w-short-past", "U1", null, "09-08 01:05:01"),
        outcome("w-long-edge", "U1", null, "09-08 23:30:00"),
        outcome("w-long-past", "U1", null, "09-08 23:30:01"));
    List<Row> rows = attribute(sessions, outcomes, WEEK);
    Map<String, String> attributed = sessionsByOutcome(rows);

    assertEquals(4, rows.size(), "one row per outcome");
    assertEquals("short", attributed.get("w-short-edge"), "7 days after the short session's end");
    assertEquals("long", attributed.get("w-short-past"), "one second later the long session encloses it");
    assertEquals("long", attributed.get("w-long-edge"), "7 days after the long session's end");
    assertNull(attributed.get("w-long-past"), "one second after both windows");
  }

  @Test
  void zeroWindowMeansDuringSession() {
    List<Row> outcomes = List.of(
        outcome("z-end", "U1", null, "09-01 14:00:00"),
        outcome("z-past", "U1", null, "09-01 14:00:01"),
        outcome("z-inner-past", "U1", null, "09-01 11:30:01"));
    Map<String, String> attributed = sessionsByOutcome(attribute(outcomes, 0));

    assertEquals("outer", attributed.get("z-end"), "outcome at ended_at with a zero window");
    assertNull(attributed.get("z-past"), "outcome one second after ended_at");
    assertEquals("outer", attributed.get("z-inner-past"), "after the inner session, inside the outer one");
  }

  private static List<Row> attribute(List<Row> outcomes, long windowSeconds) {
    return attribute(SESSION_ROWS, outcomes, windowSeconds);
  }

  private static List<Row> attribute(List<Row> sessions, List<Row> outcomes, long windowSeconds) {
    var spark = SparkTestSession.spark();
    return Attribution.attribute(spark.createDataFrame(outcomes, OUTCOMES), spark.createDataFrame(sessions, SESSIONS),
        windowSeconds).collectAsList();
  }

  private static Map<String, String> sessionsByOutcome(List<Row> rows) {
    Map<String, String> result = new HashMap<>();
    for (Row row : rows) {
      result.put(row.getAs("outcome_id"), row.getAs(Attribution.SESSION));
    }
    return result;
  }

  private static Row session(String id, String customer, String initiatedBy, String start, String end) {
    return RowFactory.create(id, customer, initiatedBy, time(start), time(end));
  }

  private static Row outcome(String id, String customer, String session, String occurred) {
    return RowFactory.create(id, customer, session, time(occurred));
  }

  /** Parses "MM-dd HH:mm:ss" as a local time in 2026. */
  private static Timestamp time(String monthDayTime) {
    return Timestamp.valueOf(LocalDateTime.parse("2026-" + monthDayTime.replace(' ', 'T')));
  }
}
