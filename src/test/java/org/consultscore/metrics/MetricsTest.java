package org.consultscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
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
 * Metrics on a hand-worked data set. Consultant A has four inbound sessions and one outbound
 * in September 2026; every expected value below was worked out by hand from those rows.
 */
class MetricsTest {
  @TempDir
  static Path dir;

  private static Row consultantA;
  private static Row consultantBSeptember;
  private static long consultantBOctoberSessions;
  private static String consultantCLine;
  private static String consultantDLine;
  private static Dataset<Row> facts;

  @BeforeAll
  static void computeMetrics() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(
        // s1: frt 30 s, aht 600 s, resolved, web
        "s1,A,U1,2026-09-01 10:00:00,,2026-09-01 10:00:30,2026-09-01 10:10:00,web,edu,customer,true,false,3,4",
        // s2: assigned after 60 s in a bot, frt 20 s from assignment, aht 300 s, transferred
        "s2,A,U2,2026-09-02 10:00:00,2026-09-02 10:01:00,2026-09-02 10:01:20,2026-09-02 10:05:00,web,edu,,false,true,,",
        // s3: email, frt 120 s (within the 4 h email SLA), aht 1200 s, resolved
        "s3,A,U1,2026-09-03 10:00:00,,2026-09-03 10:02:00,2026-09-03 10:20:00,email,edu,customer,true,,,",
        // s4: never answered, aht 60 s, resolved unknown
        "s4,A,U3,2026-09-04 10:00:00,,,2026-09-04 10:01:00,web,edu,customer,,,,",
        // s5: outbound follow-up, not part of S
        "s5,A,U1,2026-09-05 10:00:00,,2026-09-05 10:00:00,2026-09-05 10:03:00,phone,edu,consultant,true,false,,",
        // B: one session on each side of the month boundary, local time
        "b1,B,U9,2026-09-30 23:59:00,,2026-09-30 23:59:10,2026-10-01 00:10:00,web,edu,customer,true,false,,",
        "b2,B,U9,2026-10-01 00:30:00,,2026-10-01 00:30:10,2026-10-01 00:40:00,web,edu,customer,true,false,,",
        // C: two fin and two edu sessions in October, so the business line is a tie
        "c1,C,U7,2026-10-05 09:00:00,,2026-10-05 09:00:10,2026-10-05 09:10:00,web,fin,customer,true,false,,",
        "c2,C,U7,2026-10-06 09:00:00,,2026-10-06 09:00:10,2026-10-06 09:10:00,web,edu,customer,true,false,,",
        "c3,C,U8,2026-10-07 09:00:00,,2026-10-07 09:00:10,2026-10-07 09:10:00,web,fin,customer,true,false,,",
        "c4,C,U8,2026-10-08 09:00:00,,2026-10-08 09:00:10,2026-10-08 09:10:00,web,edu,customer,true,false,,",
        // D: three fin sessions and one edu
        "d1,D,U6,2026-10-05 09:00:00,,2026-10-05 09:00:10,2026-10-05 09:10:00,web,edu,customer,true,false,,",
        "d2,D,U6,2026-10-06 09:00:00,,2026-10-06 09:00:10,2026-10-06 09:10:00,web,fin,customer,true,false,,",
        "d3,D,U6,2026-10-07 09:00:00,,2026-10-07 09:00:10,2026-10-07 09:10:00,web,fin,customer,true,false,,",
        "d4,D,U6,2026-10-08 09:00:00,,2026-10-08 09:00:10,2026-10-08 09:10:00,web,fin,customer,true,false,,");
    project.file("surveys.jsonl",
        "{\"survey_id\":\"v1\",\"session_id\":\"s1\",\"submitted_at\":\"2026-09-01T12:00:00+08:00\",\"csat\":5,\"nps\":10}",
        "{\"survey_id\":\"v2a\",\"session_id\":\"s2\",\"submitted_at\":\"2026-09-02T11:00:00+08:00\",\"csat\":1,\"nps\":0}",
        "{\"survey_id\":\"v2b\",\"session_id\":\"s2\",\"submitted_at\":\"2026-09-03T11:00:00+08:00\",\"csat\":4,\"nps\":null}",
        "{\"survey_id\":\"v3\",\"session_id\":\"s3\",\"submitted_at\":\"2026-09-03T12:00:00+08:00\",\"csat\":3,\"nps\":6}",
        "{\"survey_id\":\"v4\",\"session_id\":\"s4\",\"submitted_at\":\"2026-09-04T12:00:00+08:00\",\"csat\":null,\"nps\":8}");
    project.source("surveys", "format = json\npath = \"" + dir.resolve("surveys.jsonl") + "\"");
    project.settings("metrics.sla_seconds_by_channel { email = 14400 }");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult input = Ingest.run(spark, config);
    RunContext run = RunContext.of("test-run", "month", LocalDate.of(2026, 10, 15), 1, LocalDate.of(2026, 12, 4), 7);
    Metrics.Result result = Metrics.run(input.sessions(), input.surveys(), config, run);
    facts = result.sessionFacts();
    List<Row> rows = result.consultantMetrics().collectAsList();
    consultantA = find(rows, "A", "2026-09-01");
    consultantBSeptember = find(rows, "B", "2026-09-01");
    consultantBOctoberSessions = find(rows, "B", "2026-10-01").<Long>getAs("sessions");
    consultantCLine = find(rows, "C", "2026-10-01").getAs("business_line");
    consultantDLine = find(rows, "D", "2026-10-01").getAs("business_line");
  }

  private static Row find(List<Row> rows, String consultant, String period) {
    return rows.stream()
        .filter(r -> r.<String>getAs("consultant_id").equals(consultant)
            && r.<Date>getAs("period_start").toLocalDate().toString().equals(period))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metrics row for " + consultant + " " + period));
  }

  private static double value(Row row, String metric) {
    return row.<Number>getAs(metric).doubleValue();
  }

  @Test
  void sessionSumsAreHashAggregated() {
    // A sort aggregation would sort every fact row, which took most of the consultant
    // aggregation's time at 10 million sessions.
    String plan = MetricAggregation.agg(facts.groupBy("period_start", "consultant_id"),
        MetricAggregation.sessionAggregates(3)).queryExecution().sparkPlan().toString();
    assertTrue(plan.contains("HashAggregate"), plan);
    assertFalse(plan.contains("SortAggregate"), plan);
    assertFalse(plan.contains("ObjectHashAggregate"), plan);
  }

  @Test
  void sessionCounts() {
    assertEquals(4L, consultantA.<Long>getAs("sessions"), "inbound sessions");
    assertEquals(1L, consultantA.<Long>getAs("outbound_sessions"), "outbound sessions");
    assertEquals(3L, consultantA.<Long>getAs("customers"), "distinct customers among inbound sessions");
  }

  @Test
  void responseMetrics() {
    assertEquals(0.75, value(consultantA, "answered_rate"), 1e-12);
    // frt over answered sessions: 20, 30, 120 (s2 counts from assigned_at)
    assertEquals(30.0, value(consultantA, "frt_median_s"), 1e-12);
    assertEquals(120.0, value(consultantA, "frt_p90_s"), 1e-12);
    // s1, s2 within 60 s; s3 within the email SLA; s4 unanswered
    assertEquals(0.75, value(consultantA, "sla_rate"), 1e-12);
  }

  @Test
  void evenCountMedianTakesLowerValue() {
    // aht over S: 60, 300, 600, 1200 -> rank ceil(0.5 * 4) = 2
    assertEquals(300.0, value(consultantA, "aht_median_s"), 1e-12);
  }

  @Test
  void resolutionAndTransfer() {
    assertEquals(0.5, value(consultantA, "resolution_rate"), 1e-12);
    assertEquals(0.25, value(consultantA, "transfer_rate"), 1e-12);
  }

  @Test
  void surveyMetricsUseLatestSurvey() {
    // counted csat: s1 5, s2 4 (the later survey), s3 3; s4 has no csat
    assertEquals(3L, consultantA.<Long>getAs("surveys"));
    assertEquals(0.75, value(consultantA, "survey_response_rate"), 1e-12);
    assertEquals(4.0, value(consultantA, "csat_mean"), 1e-12);
    assertEquals(2.0 / 3.0, value(consultantA, "csat_satisfied_rate"), 1e-12);
  }

  @Test
  void npsCountsPromotersAndDetractors() {
    // nps answers: 10 (promoter), 6 (detractor), 8 (passive)
    assertEquals(3L, consultantA.<Long>getAs("nps_responses"));
    assertEquals(0.0, value(consultantA, "nps"), 1e-12);
  }

  @Test
  void zeroDenominatorGivesNull() {
    assertNull(consultantBSeptember.getAs("csat_mean"), "csat_mean without surveys");
    assertNull(consultantBSeptember.getAs("csat_satisfied_rate"), "csat_satisfied_rate without surveys");
    assertNull(consultantBSeptember.getAs("nps"), "nps without answers");
  }

  @Test
  void periodsCutInLocalTime() {
    assertEquals(1L, consultantBSeptember.<Long>getAs("sessions"), "23:59 on 30 September belongs to September");
    assertEquals(1L, consultantBOctoberSessions, "00:30 on 1 October belongs to October");
  }

  @Test
  void businessLineIsMostFrequent() {
    assertEquals("fin", consultantDLine, "three fin sessions against one edu");
  }

  @Test
  void businessLineTieTakesFirstName() {
    assertEquals("edu", consultantCLine, "two sessions each: the alphabetically first line wins");
  }

  @Test
  void absentSourcesGiveNull() {
    for (String metric : List.of("reply_time_median_s", "qa_audits", "qa_score_mean", "review_360_mean",
        "revenue", "conversion_rate", "logged_in_hours", "occupancy_rate")) {
      assertNull(consultantA.getAs(metric), metric + " without its source");
    }
  }
}
