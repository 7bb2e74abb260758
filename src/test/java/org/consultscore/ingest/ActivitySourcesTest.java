package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules of messages, qa_audits, reviews, outcomes and work_time on one ingest run, read from
 * CSV, JSON Lines, Delta and Parquet. Row ids name what is wrong with a bad row.
 */
class ActivitySourcesTest {
  private static final String[] SESSION_LINES = {
      session("s1").csv(),
      session("s2").with("started_at", "2026-09-03 10:00:00").with("first_response_at", "")
          .with("ended_at", "2026-09-03 10:10:00").csv(),
      session("s3-outbound").with("initiated_by", "consultant").with("started_at", "2026-09-04 10:00:00")
          .with("first_response_at", "").with("ended_at", "2026-09-04 10:10:00").csv(),
      session("s4").with("consultant_id", "B").with("customer_id", "U2")
          .with("started_at", "2026-09-05 10:00:00").with("first_response_at", "")
          .with("ended_at", "2026-09-05 10:10:00").csv(),
  };

  private static final String[] MESSAGE_LINES = {
      "session_id,sent_at,sender",
      "s1,2026-09-01 10:01:00,customer",
      "s1,2026-09-01 10:01:00,customer",
      "s1,2026-09-01 10:02:00,Consultant",
      "s1,2026-09-01 10:03:00,system",
      // ended_at + 1 minute is still inside the session, one second more is not
      "s1,2026-09-01 10:11:00,consultant",
      "s1,2026-09-01 10:11:01,consultant",
      "s1,2026-09-01 09:59:59,customer",
      // An orphan and its exact copy: one rejected row, one duplicate, one quarantine row.
      "ghost,2026-09-01 10:01:00,customer",
      "ghost,2026-09-01 10:01:00,customer",
      "s1,2026-09-01 10:04:00,bot",
      "s1,,customer",
  };

  private static final String[] AUDIT_LINES = {
      "{\"audit_id\":\"a-ok\",\"session_id\":\"s1\",\"audited_at\":\"2026-09-02T10:00:00+08:00\",\"accuracy\":90}",
      "{\"audit_id\":\"a-orphan\",\"session_id\":\"ghost\",\"audited_at\":\"2026-09-02T10:00:00+08:00\",\"accuracy\":90}",
      "{\"audit_id\":\"a-range\",\"session_id\":\"s1\",\"audited_at\":\"2026-09-02T10:00:00+08:00\",\"accuracy\":101}",
      "{\"audit_id\":\"a-empty\",\"session_id\":\"s1\",\"audited_at\":\"2026-09-02T10:00:00+08:00\"}",
      "{\"audit_id\":\"a-text\",\"session_id\":\"s1\",\"audited_at\":\"2026-09-02T10:00:00+08:00\",\"accuracy\":\"high\"}",
  };

  private static final String[] REVIEW_LINES = {
      "review_id,reviewee_id,reviewer_id,relation,reviewed_at,teamwork,professionalism,communication,growth",
      "r-ok,A,B,Peer,2026-09-10,4,,5,",
      "r-self,A,A,self,2026-09-10 09:00:00,3,3,3,3",
      "r-mismatch,A,A,peer,2026-09-10,3,,,",
      "r-enum,A,B,boss,2026-09-10,3,,,",
      "r-range,A,B,manager,2026-09-10,6,,,",
      "r-empty,A,B,manager,2026-09-10,,,,",
  };

  private static final String[] OUTCOME_LINES = {
      outcome("o-session", "purchase", "100.50", "2026-09-01 11:00:00", "", "s1"),
      outcome("o-customer", "renewal", "20", "2026-09-03 12:00:00", "U1", ""),
      outcome("o-after-outbound", "purchase", "5", "2026-09-04 12:00:00", "U1", ""),
      outcome("o-window-end", "purchase", "1", "2026-09-10 10:10:00", "U1", ""),
      outcome("o-window-past", "purchase", "1", "2026-09-10 10:10:01", "U1", ""),
      outcome("o-unknown-session", "refund", "7.25", "2026-09-01 11:00:00", "U1", "ghost"),
      outcome("o-before-session", "purchase", "3", "2026-09-05 09:00:00", "U2", ""),
      outcome("o-nobody", "purchase", "3", "2026-09-05 11:00:00", "", ""),
      outcome("o-negative", "purchase", "-5", "2026-09-05 11:00:00", "U2", ""),
      outcome("o-gift", "gift", "5", "2026-09-05 11:00:00", "U2", ""),
  };

  @TempDir
  static Path dir;

  private static QualityReport quality;
  private static List<Row> quarantine;
  private static List<Row> messages;
  private static Map<String, Row> audits;
  private static Map<String, Row> reviews;
  private static Map<String, Row> outcomes;
  private static Map<String, Double> minutes;

  @BeforeAll
  static void ingest() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(SESSION_LINES);
    String timestamps = "timestamp_format = \"yyyy-MM-dd HH:mm:ss\"";
    project.source("messages", "format = csv\npath = \"" + project.file("messages.csv", MESSAGE_LINES)
        + "\"\n" + timestamps);
    project.source("qa_audits", "format = json\npath = \"" + project.file("audits.jsonl", AUDIT_LINES) + "\"");
    project.source("reviews", "format = delta\npath = \"" + writeReviews(spark, project) + "\"");
    project.source("outcomes", "format = json\npath = \"" + project.file("outcomes.jsonl", OUTCOME_LINES)
        + "\"\n" + timestamps);
    project.source("work_time", "format = parquet\npath = \"" + writeWorkTime(spark) + "\"");
    project.settings("quality.max_reject_rate = 1.0");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult result = Ingest.run(spark, config);

    quality = result.quality();
    quarantine = result.quarantine().collectAsList();
    messages = result.messages().collectAsList();
    audits = byId(result.qaAudits().collectAsList(), "audit_id");
    reviews = byId(result.reviews().collectAsList(), "review_id");
    outcomes = byId(result.outcomes().collectAsList(), "outcome_id");
    minutes = result.workTime().collectAsList().stream().collect(Collectors.toMap(
        r -> r.<String>getAs("consultant_id") + " " + r.<Date>getAs("work_date"),
        r -> r.<Double>getAs("logged_in_minutes")));
  }

  /** Writes the review lines as a Delta table of text columns, as an export to Delta would. */
  private static String writeReviews(SparkSession spark, TestProject project) {
    Path csv = project.file("reviews.csv", REVIEW_LINES);
    String path = dir.resolve("reviews.delta").toString();
    spark.read().option("header", "true").csv(csv.toString()).write().format("delta").save(path);
    return path;
  }

  private static String writeWorkTime(SparkSession spark) {
    StructType schema = new StructType()
        .add("consultant_id", DataTypes.StringType)
        .add("work_date", DataTypes.DateType)
        .add("logged_in_minutes", DataTypes.DoubleType);
    List<Row> rows = List.of(
        RowFactory.create("A", Date.valueOf("2026-09-01"), 500.0),
        RowFactory.create("A", Date.valueOf("2026-09-01"), 1000.0),
        RowFactory.create("A", Date.valueOf("2026-09-02"), 300.0),
        RowFactory.create("A", Date.valueOf("2026-09-02"), 300.0),
        RowFactory.create("A", Date.valueOf("2026-09-02"), 300.0),
        RowFactory.create("A", Date.valueOf("2026-09-03"), 200.0),
        RowFactory.create("A", Date.valueOf("2026-09-03"), 100.0),
        RowFactory.create("B", Date.valueOf("2026-09-01"), 1441.0),
        RowFactory.create("B", Date.valueOf("2026-09-02"), -1.0));
    String path = dir.resolve("work_time.parquet").toString();
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    return path;
  }

  private static String outcome(String id, String type, String amount, String occurredAt, String customer,
      String session) {
    return "{\"outcome_id\":\"" + id + "\",\"outcome_type\":\"" + type + "\",\"amount\":" + amount
        + ",\"occurred_at\":\"" + occurredAt + "\",\"customer_id\":\"" + customer
        + "\",\"session_id\":\"" + session + "\"}";
  }

  private static Map<String, Row> byId(List<Row> rows, String key) {
    return rows.stream().collect(Collectors.toMap(r -> r.<String>getAs(key), r -> r));
  }

  private static long rejected(String source, String reason) {
    return quality.count(source, QualityReport.REJECTED, reason);
  }

  private static boolean quarantined(String source, String id) {
    return quarantine.stream().anyMatch(r -> r.<String>getAs("source").equals(source)
        && r.<String>getAs("raw_row").contains("\"" + id + "\""));
  }

  // messages

  @Test
  void messagesKeepValidRows() {
    assertEquals(4, messages.size(), "valid messages: one customer, two consultant, one system");
    assertEquals(4, quality.count("messages", QualityReport.VALID), "messages counted valid");
  }

  @Test
  void messageSenderIsLowerCase() {
    assertTrue(messages.stream().anyMatch(r -> r.<String>getAs("sender").equals("consultant")),
        "Consultant read as consultant");
  }

  @Test
  void messageRulesReject() {
    assertEquals(2, rejected("messages", Reasons.MESSAGE_OUTSIDE_SESSION), "messages outside their session");
    assertEquals(1, rejected("messages", Reasons.ORPHAN), "message of an unknown session");
    assertEquals(1, rejected("messages", Reasons.BAD_ENUM), "message of sender bot");
    assertEquals(1, rejected("messages", Reasons.MISSING_REQUIRED), "message without sent_at");
    assertEquals(2, quality.count("messages", QualityReport.DUPLICATE, Reasons.DUPLICATE),
        "exact duplicate messages, one of them an orphan");
  }

  @Test
  void rejectedMessagesKeepRawRow() {
    List<String> rows = quarantine.stream()
        .filter(r -> r.<String>getAs("source").equals("messages"))
        .map(r -> r.<String>getAs("reason") + " " + r.<String>getAs("raw_row"))
        .sorted()
        .toList();
    assertEquals(List.of(
        "bad_enum {\"session_id\":\"s1\",\"sent_at\":\"2026-09-01 10:04:00\",\"sender\":\"bot\"}",
        "message_outside_session {\"session_id\":\"s1\",\"sent_at\":\"2026-09-01 09:59:59\",\"sender\":\"customer\"}",
        "message_outside_session {\"session_id\":\"s1\",\"sent_at\":\"2026-09-01 10:11:01\",\"sender\":\"consultant\"}",
        "missing_required {\"session_id\":\"s1\",\"sender\":\"customer\"}",
        "orphan {\"session_id\":\"ghost\",\"sent_at\":\"2026-09-01 10:01:00\",\"sender\":\"customer\"}"),
        rows, "one quarantine row per rejected message, the orphan's copy only counted");
    assertTrue(quarantine.stream().filter(r -> r.<String>getAs("source").equals("messages"))
        .allMatch(r -> r.<String>getAs("source_file").endsWith("messages.csv")), "source file of each row");
  }

  // qa_audits

  @Test
  void auditRulesReject() {
    assertEquals(List.of("a-ok"), List.copyOf(audits.keySet()), "valid audits");
    assertEquals(1, rejected("qa_audits", Reasons.ORPHAN), "audit of an unknown session");
    assertEquals(1, rejected("qa_audits", Reasons.OUT_OF_RANGE), "accuracy 101");
    assertEquals(1, rejected("qa_audits", Reasons.EMPTY_AUDIT), "audit without items");
    assertEquals(1, rejected("qa_audits", Reasons.BAD_VALUE), "accuracy high");
  }

  @Test
  void auditCriticalErrorDefaultsFalse() {
    assertEquals(false, audits.get("a-ok").<Boolean>getAs("critical_error"), "critical_error of a-ok");
  }

  // reviews

  @Test
  void reviewRulesReject() {
    assertEquals(2, reviews.size(), "valid reviews r-ok and r-self");
    assertEquals("peer", reviews.get("r-ok").<String>getAs("relation"), "relation in lower case");
    assertEquals(1, rejected("reviews", Reasons.RELATION_MISMATCH), "self review marked peer");
    assertEquals(1, rejected("reviews", Reasons.BAD_ENUM), "relation boss");
    assertEquals(1, rejected("reviews", Reasons.OUT_OF_RANGE), "teamwork 6");
    assertEquals(1, rejected("reviews", Reasons.EMPTY_REVIEW), "review without items");
  }

  @Test
  void reviewDateReadsAsMidnight() {
    Instant midnight = LocalDate.of(2026, 9, 10).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant();
    assertEquals(midnight, reviews.get("r-ok").<Timestamp>getAs("reviewed_at").toInstant(),
        "reviewed_at of a date-only value");
  }

  // outcomes

  @Test
  void outcomeWithSessionIdKeepsIt() {
    assertEquals("s1", outcomes.get("o-session").<String>getAs("session_id"), "session of o-session");
    assertEquals(new BigDecimal("100.50"), outcomes.get("o-session").<BigDecimal>getAs("amount"),
        "amount as decimal(18,2)");
  }

  @Test
  void outcomeGoesToLatestInboundSession() {
    assertEquals("s2", outcomes.get("o-customer").<String>getAs("session_id"), "session of o-customer");
    assertEquals("s2", outcomes.get("o-after-outbound").<String>getAs("session_id"),
        "an outbound session is never a customer match");
  }

  @Test
  void outcomeAtWindowEndCounts() {
    assertEquals("s2", outcomes.get("o-window-end").<String>getAs("session_id"),
        "outcome exactly 7 days after ended_at");
    assertNull(outcomes.get("o-window-past"), "outcome one second later is unattributed");
  }

  @Test
  void unknownSessionFallsBackToCustomer() {
    assertEquals("s1", outcomes.get("o-unknown-session").<String>getAs("session_id"),
        "session of an outcome whose session_id is unknown");
  }

  @Test
  void unattributedOutcomesAreCounted() {
    assertNull(outcomes.get("o-before-session"), "outcome before the customer's session");
    assertEquals(2, quality.count("outcomes", QualityReport.FLAGGED, Reasons.UNATTRIBUTED_OUTCOME),
        "unattributed outcomes");
  }

  @Test
  void outcomeRulesReject() {
    assertTrue(quarantined("outcomes", "o-nobody"), "o-nobody quarantined");
    assertEquals(1, rejected("outcomes", Reasons.MISSING_REQUIRED), "outcome without customer and session");
    assertEquals(1, rejected("outcomes", Reasons.OUT_OF_RANGE), "negative amount");
    assertEquals(1, rejected("outcomes", Reasons.BAD_ENUM), "outcome_type gift");
  }

  // work_time

  @Test
  void workTimeSumsAndCaps() {
    assertEquals(1440.0, minutes.get("A 2026-09-01"), "500 + 1000 minutes capped");
    assertEquals(300.0, minutes.get("A 2026-09-02"), "exact duplicate rows dropped");
    assertEquals(2, quality.count("work_time", QualityReport.DUPLICATE, Reasons.DUPLICATE),
        "three equal rows: two duplicates");
    assertEquals(300.0, minutes.get("A 2026-09-03"), "two rows of one day summed");
    assertEquals(1, quality.count("work_time", QualityReport.FLAGGED, Reasons.WORK_TIME_CAPPED), "capped days");
  }

  @Test
  void workTimeRangeRejects() {
    assertEquals(2, rejected("work_time", Reasons.OUT_OF_RANGE), "1441 and -1 minutes");
  }
}
