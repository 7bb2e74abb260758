package org.consultscore.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Encoders;
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
 * A call-center export read without editing it. The mapping renames columns, reads a column
 * name with spaces, builds the start time with a SQL expression from date and time columns and
 * uses a custom timestamp pattern. The one file feeds sessions (every call) and surveys (rated
 * calls only).
 */
class ColumnMappingTest {
  private static final String SECRET_CALLER = "CALLER-SECRET-3";

  @TempDir
  static Path dir;

  private static Map<String, Row> sessions;
  private static Map<String, Row> surveys;
  private static List<String> quarantinedRows;
  private static QualityReport quality;

  @BeforeAll
  static void ingest() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir);
    Path calls = project.file("calls.csv",
        "Call ID,Agent,Caller,d,t,end_time,rating",
        "c1,A,U1,2026/09/01,10:00:00,2026/09/01 10:05:00,5",
        "c2,A,U2,2026/09/01,11:00:00,2026/09/01 11:05:00,",
        "c3,B,U3,2026/09/02,09:00:00,2026/09/02 09:10:00,  ",
        "c4,B," + SECRET_CALLER + ",2026/13/45,09:00:00,2026/09/02 09:10:00,",
        "c5,B," + SECRET_CALLER + ",2026/09/03,09:00:00,2026/09/03 09:10:00,9");
    String common = "format = csv\npath = \"" + calls + "\"\ntimestamp_format = \"yyyy/MM/dd HH:mm:ss\"\n";
    project.source("sessions", common
        + "columns {\n"
        + "  session_id = \"Call ID\"\n"
        + "  consultant_id = Agent\n"
        + "  customer_id = Caller\n"
        + "  started_at = \"concat(d, ' ', t)\"\n"
        + "  ended_at = end_time\n"
        + "}");
    project.source("surveys", common
        + "filter = \"trim(rating) <> ''\"\n"
        + "columns {\n"
        + "  survey_id = \"concat('survey-', `Call ID`)\"\n"
        + "  session_id = \"Call ID\"\n"
        + "  submitted_at = end_time\n"
        + "  csat = rating\n"
        + "}");
    // c4 has an impossible date and c5 a rating above the scale, so each source rejects one row.
    project.settings("quality.max_reject_rate = 0.5");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult result = Ingest.run(spark, config);

    quality = result.quality();
    sessions = result.sessions().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("session_id"), r -> r));
    surveys = result.surveys().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("survey_id"), r -> r));
    quarantinedRows = result.quarantine().select("raw_row").as(Encoders.STRING()).collectAsList();
  }

  private static Row published(String id) {
    Row row = sessions.get(id);
    assertNotNull(row, "session " + id + " was not published; published: " + sessions.keySet());
    return row;
  }

  private static Instant instant(Row row, String column) {
    return row.<Timestamp>getAs(column).toInstant();
  }

  @Test
  void columnNameWithSpacesIsRead() {
    assertEquals(Set.of("c1", "c2", "c3", "c5"), sessions.keySet(), "published session ids");
  }

  @Test
  void renamedColumnIsRead() {
    assertEquals("B", published("c3").<String>getAs("consultant_id"), "consultant of c3 from Agent");
  }

  @Test
  void expressionColumnIsRead() {
    assertEquals(Instant.parse("2026-09-01T02:00:00Z"), instant(published("c1"), "started_at"),
        "started_at of c1 from d and t");
  }

  @Test
  void timestampPatternIsApplied() {
    assertEquals(Instant.parse("2026-09-01T02:05:00Z"), instant(published("c1"), "ended_at"),
        "ended_at of c1 from end_time");
    assertEquals(1, quality.count("sessions", QualityReport.REJECTED, Reasons.BAD_TIMESTAMP),
        "bad_timestamp count (c4, month 13)");
  }

  @Test
  void blankRatingIsFilteredOutNotRejected() {
    assertEquals(3, quality.count("surveys", QualityReport.FILTERED, Reasons.FILTERED_OUT),
        "surveys filtered_out");
    assertEquals(1, quality.count("surveys", QualityReport.REJECTED), "surveys rejected, c5 only");
    assertEquals(0.5, quality.rejectShare("surveys"), 1e-12, "surveys reject share, of the two rated calls");
  }

  @Test
  void ratedCallIsSurvey() {
    assertEquals(Set.of("survey-c1"), surveys.keySet(), "published survey ids");
    assertEquals("c1", surveys.get("survey-c1").<String>getAs("session_id"), "session of survey-c1");
    assertEquals(5, surveys.get("survey-c1").<Integer>getAs("csat"), "csat of survey-c1");
  }

  @Test
  void filterDoesNotApplyToOtherSource() {
    assertEquals(0, quality.count("sessions", QualityReport.FILTERED), "sessions filtered");
    assertEquals(5, quality.count("sessions", QualityReport.READ), "sessions read");
  }

  @Test
  void mappedCustomerColumnIsMaskedInBothSources() {
    assertEquals(2, quarantinedRows.size(), "quarantined rows, c4 of sessions and c5 of surveys");
    for (String rawRow : quarantinedRows) {
      assertTrue(rawRow.contains("\"Caller\":\"***\""), "masked Caller in " + rawRow);
      assertFalse(rawRow.contains(SECRET_CALLER), "caller id in " + rawRow);
      assertTrue(rawRow.contains("\"Agent\":\"B\""), "unmasked Agent in " + rawRow);
    }
  }
}
