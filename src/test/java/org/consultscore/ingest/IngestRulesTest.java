package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.when;
import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row rules of sessions, surveys and the roster, on one ingest run. Each bad row has an
 * id that names what is wrong with it, and every other row is valid and must come through.
 */
class IngestRulesTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final String SECRET_CUSTOMER = "CUST-SECRET-7";
  private static final String SECRET_COMMENT = "call me on 13800000000";

  /** Session ids that must be published, each once. */
  private static final Set<String> VALID_SESSIONS =
      Set.of("ok", "unrostered", "full-day", "dup", "conflict-end", "conflict-response", "shadowed");

  private static final String[] SESSION_LINES = {
      session("ok").csv(),
      session("unrostered").with("consultant_id", "Z").csv(),
      session("full-day").with("ended_at", "2026-09-02 10:00:00").csv(),
      session("dup").csv(),
      session("dup").csv(),
      session("conflict-end").csv(),
      session("conflict-end").with("ended_at", "2026-09-01 10:20:00").csv(),
      session("conflict-response").csv(),
      session("conflict-response").with("first_response_at", "2026-09-01 10:00:50").csv(),
      session("no-consultant").with("consultant_id", "").with("customer_id", SECRET_CUSTOMER).csv(),
      session("bad-start").with("started_at", "yesterday").csv(),
      session("year-1970").with("started_at", "1970-01-01 08:00:00").csv(),
      session("bot").with("initiated_by", "bot").csv(),
      session("maybe").with("resolved", "maybe").csv(),
      session("negative-messages").with("customer_messages", "-1").csv(),
      session("ends-early").with("ended_at", "2026-09-01 09:59:00").csv(),
      session("assigned-early").with("assigned_at", "2026-09-01 09:59:00").csv(),
      session("answered-early").with("first_response_at", "2026-09-01 09:59:30").csv(),
      session("answered-before-assigned")
          .with("assigned_at", "2026-09-01 10:01:00")
          .with("first_response_at", "2026-09-01 10:00:30").csv(),
      session("too-long").with("ended_at", "2026-09-02 10:00:01").csv(),
      // The rejected copy ends later, so it would win the duplicate check if it took part.
      session("shadowed").csv(),
      session("shadowed").with("ended_at", "2026-09-02 10:00:01").csv(),
  };

  private static final String[] SURVEY_LINES = {
      survey("sv-ok", "ok", "2026-09-01T12:00:00+08:00", "5", "9", SECRET_COMMENT),
      survey("sv-orphan", "ghost", "2026-09-01T12:00:00+08:00", "5", "9", null),
      survey("sv-early", "unrostered", "2026-09-01T09:00:00+08:00", "5", "9", null),
      survey("sv-csat9", "full-day", "2026-09-02T12:00:00+08:00", "9", "9", null),
      survey("sv-nps11", "full-day", "2026-09-02T12:00:00+08:00", "5", "11", null),
      survey("sv-empty", "full-day", "2026-09-02T12:00:00+08:00", null, null, SECRET_COMMENT),
      survey("sv-old", "conflict-end", "2026-09-01T12:00:00+08:00", "2", "3", null),
      survey("sv-new", "conflict-end", "2026-09-01T13:00:00+08:00", "4", "8", null),
      // A line cut off inside the comment, as at the end of an interrupted export.
      "{\"survey_id\":\"sv-cut\",\"session_id\":\"ok\",\"csat\":5,\"comment\":\"" + SECRET_COMMENT,
  };

  private static final String[] ROSTER_LINES = {
      "consultant_id,display_name,team_id,business_line,level,hired_at,active",
      "A,Ann,team-1,edu,senior,2024-01-10,true",
      ",Nobody,team-1,edu,junior,2024-01-10,true",
      "B,Ben,team-2,fin,junior,10/01/2024,true",
      "C,Cai,team-2,fin,junior,2024-03-01,sometimes",
  };

  @TempDir
  static Path dir;

  private static QualityReport quality;
  private static List<Quarantined> quarantine;
  private static Map<String, List<Row>> sessionsById;
  private static Map<String, Row> surveysById;
  private static Set<String> rosterIds;

  /** One quarantined row with the id of its source (display_name for the roster). */
  private record Quarantined(String source, String reason, String id, String rawRow) {}

  @BeforeAll
  static void ingest() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(SESSION_LINES);
    Path surveys = project.file("surveys.jsonl", SURVEY_LINES);
    project.source("surveys", "format = json\npath = \"" + surveys + "\"");
    Path roster = project.file("consultants.csv", ROSTER_LINES);
    project.source("consultants", "format = csv\npath = \"" + roster + "\"");
    // Most rows here are bad on purpose, and the reject-rate check has its own test.
    project.settings("quality.max_reject_rate = 1.0");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult result = Ingest.run(spark, config);

    quality = result.quality();
    quarantine = result.quarantine()
        .select(col("source"), col("reason"), col("raw_row"),
            when(col("source").equalTo("sessions"), get_json_object(col("raw_row"), "$.session_id"))
                .when(col("source").equalTo("surveys"), get_json_object(col("raw_row"), "$.survey_id"))
                .otherwise(get_json_object(col("raw_row"), "$.display_name")).as("id"))
        .collectAsList().stream()
        .map(r -> new Quarantined(r.getString(0), r.getString(1), r.getString(3), r.getString(2)))
        .toList();
    sessionsById = result.sessions().collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.<String>getAs("session_id")));
    surveysById = result.surveys().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("survey_id"), r -> r));
    rosterIds = result.consultants().collectAsList().stream()
        .map(r -> r.<String>getAs("consultant_id"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String survey(String id, String sessionId, String submittedAt, String csat, String nps,
      String comment) {
    return "{\"survey_id\":\"" + id + "\",\"session_id\":\"" + sessionId + "\",\"submitted_at\":\""
        + submittedAt + "\",\"csat\":" + csat + ",\"nps\":" + nps + ",\"comment\":"
        + (comment == null ? "null" : "\"" + comment + "\"") + "}";
  }

  private static List<String> reasons(String source, String id) {
    return quarantine.stream()
        .filter(q -> q.source().equals(source) && id.equals(q.id()))
        .map(Quarantined::reason)
        .toList();
  }

  private static Quarantined onlyQuarantined(String source, String id) {
    List<Quarantined> found = quarantine.stream()
        .filter(q -> q.source().equals(source) && id.equals(q.id()))
        .toList();
    assertEquals(1, found.size(), "quarantined rows of " + source + " " + id);
    return found.get(0);
  }

  private static Row onlySession(String id) {
    List<Row> found = sessionsById.getOrDefault(id, List.of());
    assertEquals(1, found.size(), "published rows of session " + id);
    return found.get(0);
  }

  private static Instant shanghai(String localTime) {
    return LocalDateTime.parse(localTime.replace(' ', 'T')).atZone(SHANGHAI).toInstant();
  }

  private static Instant instant(Row row, String column) {
    return row.<Timestamp>getAs(column).toInstant();
  }

  private static void assertRejected(String source, String id, String reason, long expectedCount) {
    assertEquals(List.of(reason), reasons(source, id), "quarantine reason of " + source + " " + id);
    assertEquals(expectedCount, quality.count(source, QualityReport.REJECTED, reason),
        "rejected count of " + source + " " + reason);
  }

  // Sessions

  @Test
  void validSessionIsPublished() {
    Row ok = onlySession("ok");
    assertEquals("A", ok.<String>getAs("consultant_id"), "consultant of session ok");
    assertEquals("team-1", ok.<String>getAs("team_id"), "team from the roster");
    assertEquals("edu", ok.<String>getAs("business_line"), "business line from the roster");
  }

  @Test
  void publishedSessionsAreExactlyTheValidOnes() {
    assertEquals(new TreeSet<>(VALID_SESSIONS), new TreeSet<>(sessionsById.keySet()), "published session ids");
  }

  @Test
  void everySessionRowIsCounted() {
    assertEquals(SESSION_LINES.length, quality.count("sessions", QualityReport.READ), "sessions read");
    assertEquals(VALID_SESSIONS.size(), quality.count("sessions", QualityReport.VALID), "sessions valid");
    assertEquals(12, quality.count("sessions", QualityReport.REJECTED), "sessions rejected");
    assertEquals(3, quality.count("sessions", QualityReport.DUPLICATE), "sessions duplicate");
  }

  @Test
  void missingConsultantIsQuarantined() {
    assertRejected("sessions", "no-consultant", Reasons.MISSING_REQUIRED, 1);
  }

  @Test
  void unparseableTimestampIsQuarantined() {
    assertEquals(List.of(Reasons.BAD_TIMESTAMP), reasons("sessions", "bad-start"), "reason of bad-start");
  }

  @Test
  void implausibleYearIsQuarantined() {
    assertEquals(List.of(Reasons.BAD_TIMESTAMP), reasons("sessions", "year-1970"), "reason of year-1970");
    assertEquals(2, quality.count("sessions", QualityReport.REJECTED, Reasons.BAD_TIMESTAMP),
        "bad_timestamp count");
  }

  @Test
  void botInitiatorIsBadEnum() {
    assertRejected("sessions", "bot", Reasons.BAD_ENUM, 1);
  }

  @Test
  void unreadableBooleanIsBadValue() {
    assertEquals(List.of(Reasons.BAD_VALUE), reasons("sessions", "maybe"), "reason of maybe");
  }

  @Test
  void negativeMessageCountIsBadValue() {
    assertEquals(List.of(Reasons.BAD_VALUE), reasons("sessions", "negative-messages"),
        "reason of negative-messages");
    assertEquals(2, quality.count("sessions", QualityReport.REJECTED, Reasons.BAD_VALUE), "bad_value count");
  }

  @Test
  void negativeDurationIsQuarantined() {
    assertRejected("sessions", "ends-early", Reasons.NEGATIVE_DURATION, 1);
  }

  @Test
  void assignmentBeforeStartIsQuarantined() {
    assertRejected("sessions", "assigned-early", Reasons.ASSIGNED_BEFORE_START, 1);
  }

  @Test
  void responseBeforeStartIsQuarantined() {
    assertEquals(List.of(Reasons.RESPONSE_BEFORE_START), reasons("sessions", "answered-early"),
        "reason of answered-early");
  }

  @Test
  void responseBeforeAssignmentIsQuarantined() {
    assertEquals(List.of(Reasons.RESPONSE_BEFORE_START), reasons("sessions", "answered-before-assigned"),
        "reason of answered-before-assigned");
    assertEquals(2, quality.count("sessions", QualityReport.REJECTED, Reasons.RESPONSE_BEFORE_START),
        "response_before_start count");
  }

  @Test
  void durationOverMaxHoursIsQuarantined() {
    assertRejected("sessions", "too-long", Reasons.DURATION_TOO_LONG, 2);
  }

  @Test
  void rejectedCopyDoesNotShadowValidRow() {
    Row kept = onlySession("shadowed");
    assertEquals(shanghai("2026-09-01 10:10:00"), instant(kept, "ended_at"), "ended_at of the valid shadowed row");
    assertEquals(List.of(Reasons.DURATION_TOO_LONG), reasons("sessions", "shadowed"),
        "only the rejected copy is quarantined, not as a duplicate");
  }

  @Test
  void durationOfExactlyMaxHoursIsKept() {
    Row fullDay = onlySession("full-day");
    assertEquals(shanghai("2026-09-02 10:00:00"), instant(fullDay, "ended_at"), "ended_at of full-day");
  }

  @Test
  void exactDuplicateIsCountedNotQuarantined() {
    onlySession("dup");
    assertEquals(List.of(), reasons("sessions", "dup"), "quarantine reasons of dup");
    assertEquals(1, quality.count("sessions", QualityReport.DUPLICATE, Reasons.DUPLICATE), "duplicate count");
  }

  @Test
  void conflictingDuplicateKeepsLatestEnd() {
    Row keptSession = onlySession("conflict-end");
    assertEquals(shanghai("2026-09-01 10:20:00"), instant(keptSession, "ended_at"),
        "ended_at of kept conflict-end");
    Quarantined other = onlyQuarantined("sessions", "conflict-end");
    assertEquals(Reasons.CONFLICTING_DUPLICATE, other.reason(), "reason of the other conflict-end");
    assertTrue(other.rawRow().contains("\"ended_at\":\"2026-09-01 10:10:00\""),
        "quarantined conflict-end is the earlier one: " + other.rawRow());
  }

  @Test
  void conflictingDuplicateTieKeepsLatestResponse() {
    Row keptSession = onlySession("conflict-response");
    assertEquals(shanghai("2026-09-01 10:00:50"), instant(keptSession, "first_response_at"),
        "first_response_at of kept conflict-response");
    assertEquals(List.of(Reasons.CONFLICTING_DUPLICATE), reasons("sessions", "conflict-response"),
        "reason of the other conflict-response");
    assertEquals(2, quality.count("sessions", QualityReport.DUPLICATE, Reasons.CONFLICTING_DUPLICATE),
        "conflicting_duplicate count");
  }

  @Test
  void unrosteredConsultantIsKeptAsUnknown() {
    Row session = onlySession("unrostered");
    assertEquals(Ingest.UNKNOWN, session.<String>getAs("team_id"), "team of unrostered");
    assertEquals(Ingest.UNKNOWN, session.<String>getAs("business_line"), "business line of unrostered");
    assertFalse(session.<Boolean>getAs("known_consultant"), "known_consultant of unrostered");
    assertEquals(1, quality.count("sessions", QualityReport.FLAGGED, Reasons.UNKNOWN_CONSULTANT),
        "unknown_consultant count");
  }

  // Surveys

  @Test
  void publishedSurveysAreExactlyTheCountedOnes() {
    assertEquals(Set.of("sv-ok", "sv-new"), surveysById.keySet(), "published survey ids");
  }

  @Test
  void everySurveyRowIsCounted() {
    assertEquals(SURVEY_LINES.length, quality.count("surveys", QualityReport.READ), "surveys read");
    assertEquals(3, quality.count("surveys", QualityReport.VALID), "surveys valid, superseded included");
    assertEquals(6, quality.count("surveys", QualityReport.REJECTED), "surveys rejected");
  }

  @Test
  void surveyOfUnknownSessionIsOrphan() {
    assertRejected("surveys", "sv-orphan", Reasons.ORPHAN, 1);
  }

  @Test
  void surveyBeforeSessionStartIsQuarantined() {
    assertRejected("surveys", "sv-early", Reasons.SURVEY_BEFORE_SESSION, 1);
  }

  @Test
  void csatAboveScaleIsOutOfRange() {
    assertEquals(List.of(Reasons.OUT_OF_RANGE), reasons("surveys", "sv-csat9"), "reason of sv-csat9");
  }

  @Test
  void npsAboveTenIsOutOfRange() {
    assertEquals(List.of(Reasons.OUT_OF_RANGE), reasons("surveys", "sv-nps11"), "reason of sv-nps11");
    assertEquals(2, quality.count("surveys", QualityReport.REJECTED, Reasons.OUT_OF_RANGE), "out_of_range count");
  }

  @Test
  void surveyWithoutScoresIsEmpty() {
    assertRejected("surveys", "sv-empty", Reasons.EMPTY_SURVEY, 1);
  }

  @Test
  void malformedLineIsQuarantinedMasked() {
    assertEquals(1, quality.count("surveys", QualityReport.REJECTED, Reasons.MISSING_REQUIRED),
        "missing_required count, the cut line");
    List<String> rawRows = quarantine.stream()
        .filter(q -> q.source().equals("surveys") && q.reason().equals(Reasons.MISSING_REQUIRED))
        .map(Quarantined::rawRow)
        .toList();
    assertEquals(List.of("{\"_corrupt_record\":\"***\"}"), rawRows, "raw row of the cut line");
  }

  @Test
  void latestSurveyOfSessionCounts() {
    Row counted = surveysById.get("sv-new");
    assertEquals("conflict-end", counted.<String>getAs("session_id"), "session of sv-new");
    assertEquals(4, counted.<Integer>getAs("csat"), "csat of sv-new");
    assertEquals(List.of(), reasons("surveys", "sv-old"), "quarantine reasons of superseded sv-old");
    assertEquals(1, quality.count("surveys", QualityReport.FLAGGED, Reasons.SUPERSEDED_SURVEY),
        "superseded_survey count");
  }

  @Test
  void publishedSurveysHaveNoComment() {
    assertFalse(List.of(surveysById.get("sv-ok").schema().fieldNames()).contains("comment"),
        "comment column in published surveys");
  }

  // Roster

  @Test
  void rosterKeepsOnlyValidConsultants() {
    assertEquals(Set.of("A"), rosterIds, "published roster ids");
    assertEquals(ROSTER_LINES.length - 1, quality.count("consultants", QualityReport.READ), "roster rows read");
  }

  @Test
  void rosterRowWithoutIdIsQuarantined() {
    assertRejected("consultants", "Nobody", Reasons.MISSING_REQUIRED, 1);
  }

  @Test
  void unreadableHireDateIsBadValue() {
    assertEquals(List.of(Reasons.BAD_VALUE), reasons("consultants", "Ben"), "reason of Ben");
  }

  @Test
  void unreadableActiveFlagIsBadValue() {
    assertEquals(List.of(Reasons.BAD_VALUE), reasons("consultants", "Cai"), "reason of Cai");
    assertEquals(2, quality.count("consultants", QualityReport.REJECTED, Reasons.BAD_VALUE), "bad_value count");
  }

  // Quarantine

  @Test
  void quarantineHoldsOnlyRejectedAndConflictingRows() {
    long expected = 0;
    for (String source : List.of("sessions", "surveys", "consultants")) {
      expected += quality.count(source, QualityReport.REJECTED)
          + quality.count(source, QualityReport.DUPLICATE, Reasons.CONFLICTING_DUPLICATE);
    }
    assertEquals(expected, quarantine.size(), "quarantined rows");
  }

  @Test
  void quarantineMasksCustomerId() {
    String rawRow = onlyQuarantined("sessions", "no-consultant").rawRow();
    assertTrue(rawRow.contains("\"customer_id\":\"***\""), "masked customer_id in " + rawRow);
    for (Quarantined row : quarantine) {
      assertFalse(row.rawRow().contains(SECRET_CUSTOMER), "customer id in quarantine row " + row);
    }
  }

  @Test
  void quarantineMasksComment() {
    String rawRow = onlyQuarantined("surveys", "sv-empty").rawRow();
    assertTrue(rawRow.contains("\"comment\":\"***\""), "masked comment in " + rawRow);
    for (Quarantined row : quarantine) {
      assertFalse(row.rawRow().contains(SECRET_COMMENT), "comment in quarantine row " + row);
    }
  }
}
