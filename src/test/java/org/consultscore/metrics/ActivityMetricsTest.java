package org.consultscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeat contact, follow-up, reply time, audit, review, outcome and work-time metrics on a
 * hand-worked data set of September 2026. Consultants A and B are in team T1 (edu), C in
 * team T2 (fin). Every expected value was worked out by hand from the rows below.
 */
class ActivityMetricsTest {
  private static final double EPS = 1e-9;

  @TempDir
  static Path dir;

  private static List<Row> consultants;
  private static List<Row> groups;
  private static List<Row> facts;

  @BeforeAll
  static void computeMetrics() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(
        // a1: resolved; U1 comes back to B exactly fcr_window after a1 ends, so a1 is no FCR
        "a1,A,U1,2026-09-01 10:00:00,,2026-09-01 10:00:30,2026-09-01 10:10:00,web,,customer,true,,,",
        "b1,B,U1,2026-09-08 10:10:00,,2026-09-08 10:10:30,2026-09-08 10:20:00,web,,customer,true,,,",
        // a2: resolved; U2 comes back one second after the window, so a2 is an FCR
        "a2,A,U2,2026-09-02 10:00:00,,2026-09-02 10:00:20,2026-09-02 10:10:00,web,,customer,true,,,",
        "a3,A,U2,2026-09-09 10:10:01,,2026-09-09 10:10:30,2026-09-09 10:20:00,web,,customer,false,,,",
        // a4 starts exactly when a2 ends (not after it); a5 starts exactly 7 days after a3 ends
        "a4,A,U2,2026-09-02 10:10:00,,,2026-09-02 10:15:00,phone,,consultant,,,,",
        "a5,A,U2,2026-09-16 10:20:00,,,2026-09-16 10:30:00,phone,,consultant,,,,",
        "c1,C,U3,2026-09-03 10:00:00,,,2026-09-03 10:10:00,web,,customer,,,,");
    project.source("consultants", "format = csv\npath = \"" + project.file("consultants.csv",
        "consultant_id,display_name,team_id,business_line,level,hired_at,active",
        "A,Ann,T1,edu,senior,,", "B,Ben,T1,edu,junior,,", "C,Cai,T2,fin,junior,,") + "\"");
    String timestamps = "\ntimestamp_format = \"yyyy-MM-dd HH:mm:ss\"";
    project.source("messages", "format = csv\npath = \"" + project.file("messages.csv",
        "session_id,sent_at,sender",
        // a1 turns: 30 s, 10 s, 60 s and a last one never answered
        "a1,2026-09-01 10:00:00,customer", "a1,2026-09-01 10:00:05,customer",
        "a1,2026-09-01 10:00:30,consultant", "a1,2026-09-01 10:01:00,system",
        "a1,2026-09-01 10:02:00,customer", "a1,2026-09-01 10:02:10,consultant",
        "a1,2026-09-01 10:03:00,customer", "a1,2026-09-01 10:04:00,consultant",
        "a1,2026-09-01 10:05:00,customer",
        // a2 turn: 20 s; a4 is outbound, so its turn is not counted
        "a2,2026-09-02 10:00:00,customer", "a2,2026-09-02 10:00:20,consultant",
        "a4,2026-09-02 10:11:00,customer", "a4,2026-09-02 10:11:01,consultant") + "\"" + timestamps);
    project.source("qa_audits", "format = csv\npath = \"" + project.file("audits.csv",
        "audit_id,session_id,audited_at,accuracy,compliance,professionalism,communication,critical_error",
        "q1,a1,2026-09-05 10:00:00,80,100,,,true",
        "q2,a1,2026-09-05 10:00:00,,70,,,",
        "q3,a2,2026-09-05 10:00:00,60,60,60,60,false",
        "q4,a4,2026-09-05 10:00:00,0,,,,true") + "\"" + timestamps);
    project.source("reviews", "format = csv\npath = \"" + project.file("reviews.csv",
        "review_id,reviewee_id,reviewer_id,relation,reviewed_at,teamwork,professionalism,communication,growth",
        "r1,A,A,self,2026-09-10,5,4,,",
        "r2,A,B,peer,2026-09-10,4,,,",
        "r3,A,C,peer,2026-09-11,3,,,5",
        "r4,A,M,manager,2026-09-12,3,,,",
        "r5,A,B,peer,2026-10-01,1,,,") + "\"");
    project.source("outcomes", "format = csv\npath = \"" + project.file("outcomes.csv",
        "outcome_id,outcome_type,amount,occurred_at,customer_id,session_id",
        "o1,purchase,100.00,2026-09-01 10:20:00,,a1",
        // matches a1 (at its window end) and b1 (at its start): the latest, b1, gets it
        "o2,renewal,50.00,2026-09-08 10:10:00,U1,",
        "o3,refund,30.00,2026-09-05 10:00:00,U2,",
        "o4,purchase,200.00,2026-09-03 10:00:00,U2,",
        "o5,purchase,10.00,2026-09-03 10:00:00,U9,") + "\"" + timestamps);
    project.source("work_time", "format = csv\npath = \"" + project.file("work_time.csv",
        "consultant_id,work_date,logged_in_minutes",
        "A,2026-09-01,240", "A,2026-09-02,240") + "\"");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult input = Ingest.run(spark, config);
    RunContext run = RunContext.of("test-run", "month", LocalDate.of(2026, 9, 15), 0, LocalDate.of(2026, 12, 4), 7);
    Metrics.Inputs inputs = new Metrics.Inputs(input.sessions(), input.surveys(), input.messages(),
        input.qaAudits(), input.reviews(), input.outcomes(), input.workTime());
    Metrics.Result result = Metrics.run(inputs, config, run);
    consultants = result.consultantMetrics().collectAsList();
    groups = result.groupMetrics().collectAsList();
    facts = result.sessionFacts().collectAsList();
  }

  private static Row consultant(String id) {
    return consultants.stream()
        .filter(r -> r.<String>getAs("consultant_id").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metrics row for " + id));
  }

  private static Row group(String type, String id) {
    return groups.stream()
        .filter(r -> r.<String>getAs("group_type").equals(type) && r.<String>getAs("group_id").equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no group row for " + type + " " + id));
  }

  private static Row fact(String sessionId) {
    return facts.stream()
        .filter(r -> r.<String>getAs("session_id").equals(sessionId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no session fact for " + sessionId));
  }

  private static double value(Row row, String column) {
    Object value = row.getAs(column);
    if (value == null) {
      throw new AssertionError(column + " is null");
    }
    return ((Number) value).doubleValue();
  }

  @Test
  void consultantRowsCarryRosterColumns() {
    Row consultantA = consultant("A");
    assertEquals("Ann", consultantA.<String>getAs("display_name"), "display_name of A");
    assertEquals("T1", consultantA.<String>getAs("team_id"), "team_id of A");
    assertEquals("senior", consultantA.<String>getAs("level"), "level of A");
    assertEquals("edu", consultantA.<String>getAs("business_line"), "business_line of A from the roster");
    assertEquals("Cai", consultant("C").<String>getAs("display_name"), "display_name of C");
    assertEquals("T2", consultant("C").<String>getAs("team_id"), "team_id of C");
  }

  // Repeat contacts and follow-ups

  @Test
  void repeatContactAtWindowEndBreaksFcr() {
    assertEquals(false, fact("a1").<Boolean>getAs("fcr"), "a1: U1 opens b1 with B at ended_at + 7 days");
    assertEquals(true, fact("a2").<Boolean>getAs("fcr"), "a2: U2 comes back one second after the window");
    assertEquals(false, fact("a3").<Boolean>getAs("fcr"), "a3 is not resolved");
    assertNull(fact("a4").getAs("fcr"), "fcr of an outbound session");
  }

  @Test
  void fcrRateCountsInbound() {
    assertEquals(1.0 / 3, value(consultant("A"), "fcr_rate"), EPS, "fcr_rate of A");
    assertEquals(1.0, value(consultant("B"), "fcr_rate"), EPS, "fcr_rate of B");
  }

  @Test
  void followUpAtWindowEndCounts() {
    assertEquals(true, fact("a3").<Boolean>getAs("followed_up"), "a3: a5 starts at ended_at + 7 days");
    assertEquals(false, fact("a2").<Boolean>getAs("followed_up"), "a2: a4 starts at its ended_at, not after");
    assertEquals(1.0 / 3, value(consultant("A"), "follow_up_rate"), EPS, "follow_up_rate of A");
  }

  // Reply time

  @Test
  void replyTimeMedianTakesLowerValue() {
    // A's answered turns: 10, 20, 30 and 60 seconds
    assertEquals(4L, consultant("A").<Long>getAs("reply_turns"), "reply turns of A");
    assertEquals(20.0, value(consultant("A"), "reply_time_median_s"), EPS, "median of four turns");
    assertEquals(60.0, value(consultant("A"), "reply_time_p90_s"), EPS, "p90 at rank ceil(3.6) = 4");
  }

  @Test
  void replyTimeWithoutTurnsIsNull() {
    assertEquals(0L, consultant("C").<Long>getAs("reply_turns"), "reply turns of C");
    assertNull(consultant("C").getAs("reply_time_median_s"), "median of no turns");
  }

  // Audits

  @Test
  void auditMetricsOfInboundSessions() {
    Row a = consultant("A");
    assertEquals(3L, a.<Long>getAs("qa_audits"), "audits of A's inbound sessions");
    assertEquals((90.0 + 70.0 + 60.0) / 3, value(a, "qa_score_mean"), EPS, "qa_score_mean of A");
    assertEquals(70.0, value(a, "qa_accuracy_mean"), EPS, "qa_accuracy_mean of A");
    assertEquals(1.0 / 3, value(a, "critical_error_rate"), EPS, "critical_error_rate of A");
    assertEquals(80.0, value(fact("a1"), "qa_score"), EPS, "qa_score of session a1");
  }

  @Test
  void auditRatesWithoutAuditsAreNull() {
    assertEquals(0L, consultant("C").<Long>getAs("qa_audits"), "audits of C");
    assertNull(consultant("C").getAs("qa_score_mean"), "qa_score_mean without audits");
    assertNull(consultant("C").getAs("critical_error_rate"), "critical_error_rate without audits");
  }

  // Reviews

  @Test
  void reviewMeansPerRelation() {
    Row a = consultant("A");
    assertEquals(4.5, value(a, "review_self_mean"), EPS, "self mean");
    assertEquals(4.0, value(a, "review_peer_mean"), EPS, "peer mean without the October review");
    assertEquals(3.0, value(a, "review_manager_mean"), EPS, "manager mean");
    assertNull(a.getAs("review_subordinate_mean"), "subordinate mean without reviews");
  }

  @Test
  void review360RenormalizesWeights() {
    Row a = consultant("A");
    assertEquals((0.5 * 3 + 0.3 * 4) / 0.8, value(a, "review_360_mean"), EPS, "review_360_mean of A");
    assertEquals(4.5 - 3.375, value(a, "self_gap"), EPS, "self_gap of A");
    assertEquals(3L, a.<Long>getAs("review_360_count"), "reviews behind review_360_mean");
  }

  // Outcomes

  @Test
  void outcomeMatchingTwoSessionsGoesToLatest() {
    assertEquals(new BigDecimal("50.00"), fact("b1").<BigDecimal>getAs("attributed_revenue"), "revenue of b1");
    assertEquals(new BigDecimal("100.00"), fact("a1").<BigDecimal>getAs("attributed_revenue"), "revenue of a1");
  }

  @Test
  void revenueSubtractsRefunds() {
    Row a = consultant("A");
    assertEquals(new BigDecimal("270.00"), a.<BigDecimal>getAs("revenue"), "revenue of A");
    assertEquals(new BigDecimal("170.00"), fact("a2").<BigDecimal>getAs("attributed_revenue"), "revenue of a2");
    assertEquals(90.0, value(a, "revenue_per_session"), EPS, "revenue_per_session of A");
    assertEquals(2.0 / 3, value(a, "conversion_rate"), EPS, "conversion_rate of A");
    assertEquals(0.5, value(a, "refund_rate"), EPS, "refund_rate of A");
  }

  @Test
  void refundRateWithoutSalesIsNull() {
    assertEquals(new BigDecimal("0.00"), consultant("C").<BigDecimal>getAs("revenue"), "revenue of C");
    assertNull(consultant("C").getAs("refund_rate"), "refund_rate without sales");
  }

  // Work time

  @Test
  void workTimeMetrics() {
    Row a = consultant("A");
    assertEquals(8.0, value(a, "logged_in_hours"), EPS, "logged_in_hours of A");
    assertEquals(5.0 / 8, value(a, "sessions_per_hour"), EPS, "3 inbound and 2 outbound over 8 hours");
    assertEquals((600 + 600 + 599 + 300 + 600) / 28_800.0, value(a, "occupancy_rate"), EPS, "occupancy of A");
  }

  @Test
  void workRatesWithoutHoursAreNull() {
    assertEquals(0.0, value(consultant("B"), "logged_in_hours"), EPS, "logged_in_hours of B");
    assertNull(consultant("B").getAs("sessions_per_hour"), "sessions_per_hour without logged-in time");
    assertNull(consultant("B").getAs("occupancy_rate"), "occupancy_rate without logged-in time");
  }

  // Rollups

  @Test
  void teamRollupUsesSameDefinitions() {
    Row team = group("team", "T1");
    assertEquals(4L, team.<Long>getAs("sessions"), "inbound sessions of T1");
    assertEquals(0.5, value(team, "fcr_rate"), EPS, "fcr_rate of T1: a2 and b1");
    assertEquals(new BigDecimal("320.00"), team.<BigDecimal>getAs("revenue"), "revenue of T1");
    assertEquals(8.0, value(team, "logged_in_hours"), EPS, "logged_in_hours of T1");
    assertEquals(20.0, value(team, "reply_time_median_s"), EPS, "reply median of T1");
    assertEquals(3.375, value(team, "review_360_mean"), EPS, "review_360_mean of T1");
  }

  @Test
  void businessLineRollupHasEveryLine() {
    assertEquals(4L, group("business_line", "edu").<Long>getAs("sessions"), "inbound sessions of edu");
    assertEquals(1L, group("business_line", "fin").<Long>getAs("sessions"), "inbound sessions of fin");
    assertEquals(3, groups.stream().filter(r -> r.<String>getAs("group_type").equals("business_line")
        || r.<String>getAs("group_id").equals("T2")).count(), "rows of edu, fin and T2");
  }
}
