package org.consultscore.ingest;

import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
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
 * Timestamp forms on one run in Asia/Shanghai (UTC+8): sessions read epoch seconds and ISO
 * text, surveys read epoch milliseconds. Every session starts at 02:00 UTC unless its id
 * names an offset.
 */
class TimestampParsingTest {
  private static final Instant START = Instant.parse("2026-09-01T02:00:00Z");

  @TempDir
  static Path dir;

  private static Map<String, Row> sessions;
  private static Row survey;
  private static QualityReport quality;

  @BeforeAll
  static void ingest() {
    SparkSession spark = SparkTestSession.spark();
    long seconds = START.getEpochSecond();
    TestProject project = TestProject.in(dir);
    Path sessionsFile = project.file("sessions.csv",
        TestProject.SESSIONS_HEADER,
        session("epoch-seconds")
            .with("started_at", String.valueOf(seconds))
            .with("first_response_at", String.valueOf(seconds + 30))
            .with("ended_at", String.valueOf(seconds + 600)).csv(),
        session("offset-plus-5")
            .with("started_at", "2026-09-01T10:00:00+05:00")
            .with("first_response_at", "")
            .with("ended_at", "2026-09-01T10:10:00+05:00").csv(),
        session("zulu")
            .with("started_at", "2026-09-01T02:00:00Z")
            .with("first_response_at", "")
            .with("ended_at", "2026-09-01T02:10:00Z").csv(),
        session("local-space").csv(),
        session("local-t").with("started_at", "2026-09-01T10:00:00").csv(),
        session("millis-as-seconds").with("started_at", String.valueOf(seconds * 1000)).csv());
    project.source("sessions", "format = csv\npath = \"" + sessionsFile + "\"\nepoch_unit = seconds");
    Path surveysFile = project.file("surveys.jsonl",
        "{\"survey_id\":\"sv\",\"session_id\":\"zulu\",\"submitted_at\":" + (seconds + 3600) * 1000
            + ",\"csat\":5}");
    project.source("surveys", "format = json\npath = \"" + surveysFile + "\"\nepoch_unit = millis");
    project.settings("quality.max_reject_rate = 0.5");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult result = Ingest.run(spark, config);

    quality = result.quality();
    sessions = result.sessions().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("session_id"), r -> r));
    survey = result.surveys().collectAsList().get(0);
  }

  private static Instant instant(Row row, String column) {
    return row.<Timestamp>getAs(column).toInstant();
  }

  private static Row published(String id) {
    Row row = sessions.get(id);
    assertNotNull(row, "session " + id + " was not published; published: " + sessions.keySet());
    return row;
  }

  @Test
  void epochSecondsAreInstants() {
    Row row = published("epoch-seconds");
    assertEquals(START, instant(row, "started_at"), "started_at");
    assertEquals(START.plusSeconds(30), instant(row, "first_response_at"), "first_response_at");
    assertEquals(START.plusSeconds(600), instant(row, "ended_at"), "ended_at");
  }

  @Test
  void epochMillisAreInstants() {
    assertEquals(START.plusSeconds(3600), instant(survey, "submitted_at"), "submitted_at");
  }

  @Test
  void offsetGivesInstant() {
    assertEquals(Instant.parse("2026-09-01T05:00:00Z"), instant(published("offset-plus-5"), "started_at"),
        "10:00+05:00");
  }

  @Test
  void zuluIsUtc() {
    assertEquals(START, instant(published("zulu"), "started_at"), "02:00Z");
  }

  @Test
  void zonelessTimeIsConfiguredZone() {
    assertEquals(START, instant(published("local-space"), "started_at"), "10:00 with a space");
    assertEquals(START, instant(published("local-t"), "started_at"), "10:00 with a T");
  }

  @Test
  void millisReadAsSecondsAreBadTimestamp() {
    assertFalse(sessions.containsKey("millis-as-seconds"), "millis-as-seconds published");
    assertEquals(1, quality.count("sessions", QualityReport.REJECTED, Reasons.BAD_TIMESTAMP),
        "bad_timestamp count");
  }
}
