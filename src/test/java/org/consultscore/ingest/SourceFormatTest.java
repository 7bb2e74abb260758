package org.consultscore.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
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
 * Typed and line-based formats on one run: sessions in Parquet and the roster in Delta, both
 * written by Spark with real timestamp, boolean, integer and date columns, and surveys in JSON
 * Lines.
 */
class SourceFormatTest {
  private static final Instant START = Instant.parse("2026-09-01T02:00:00Z");

  @TempDir
  static Path dir;

  private static Map<String, Row> sessions;
  private static Map<String, Row> roster;
  private static Row survey;
  private static QualityReport quality;

  @BeforeAll
  static void ingest() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir);
    Path sessionsPath = dir.resolve("sessions.parquet");
    sessionsFrame(spark).write().parquet(sessionsPath.toString());
    project.source("sessions", "format = parquet\npath = \"" + sessionsPath + "\"");
    Path rosterPath = dir.resolve("consultants-delta");
    rosterFrame(spark).write().format("delta").save(rosterPath.toString());
    project.source("consultants", "format = delta\npath = \"" + rosterPath + "\"");
    Path surveysPath = project.file("surveys.jsonl",
        "{\"survey_id\":\"j1\",\"session_id\":\"p1\",\"submitted_at\":\"2026-09-01T12:00:00+08:00\","
            + "\"csat\":\"4\",\"nps\":7,\"comment\":\"fine\"}");
    project.source("surveys", "format = json\npath = \"" + surveysPath + "\"");
    // p3 starts in 1970, so one of three sessions is rejected.
    project.settings("quality.max_reject_rate = 0.5");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);

    IngestResult result = Ingest.run(spark, config);

    quality = result.quality();
    sessions = result.sessions().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("session_id"), r -> r));
    roster = result.consultants().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("consultant_id"), r -> r));
    survey = result.surveys().collectAsList().get(0);
  }

  private static Dataset<Row> sessionsFrame(SparkSession spark) {
    StructType schema = new StructType()
        .add("session_id", DataTypes.StringType)
        .add("consultant_id", DataTypes.StringType)
        .add("customer_id", DataTypes.StringType)
        .add("started_at", DataTypes.TimestampType)
        .add("first_response_at", DataTypes.TimestampType)
        .add("ended_at", DataTypes.TimestampType)
        .add("resolved", DataTypes.BooleanType)
        .add("transferred", DataTypes.BooleanType)
        .add("customer_messages", DataTypes.IntegerType);
    List<Row> rows = List.of(
        RowFactory.create(" p1 ", "A", "U1", timestamp(START), timestamp(START.plusSeconds(30)),
            timestamp(START.plusSeconds(600)), true, false, 3),
        RowFactory.create("p2", "A", "U2", timestamp(START), null, timestamp(START.plusSeconds(60)),
            null, null, null),
        RowFactory.create("p3", "A", "U3", timestamp(Instant.parse("1970-01-01T00:00:00Z")), null,
            timestamp(START), true, false, 1));
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  private static Dataset<Row> rosterFrame(SparkSession spark) {
    StructType schema = new StructType()
        .add("consultant_id", DataTypes.StringType)
        .add("display_name", DataTypes.StringType)
        .add("team_id", DataTypes.StringType)
        .add("hired_at", DataTypes.DateType)
        .add("active", DataTypes.BooleanType);
    List<Row> rows = List.of(
        RowFactory.create("A", "Ann", "team-1", Date.valueOf(LocalDate.of(2024, 1, 10)), true),
        RowFactory.create("B", "Ben", "team-1", null, null),
        RowFactory.create("C", "Cai", "team-2", Date.valueOf(LocalDate.of(2025, 3, 1)), false));
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.from(instant);
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
  void parquetTimestampsAreKept() {
    Row p1 = published("p1");
    assertEquals(START, instant(p1, "started_at"), "started_at of p1");
    assertEquals(START.plusSeconds(30), instant(p1, "first_response_at"), "first_response_at of p1");
    assertNull(published("p2").getAs("first_response_at"), "first_response_at of p2");
  }

  @Test
  void parquetBooleansAreKept() {
    assertTrue(published("p1").<Boolean>getAs("resolved"), "resolved of p1");
    assertFalse(published("p1").<Boolean>getAs("transferred"), "transferred of p1");
    assertNull(published("p2").getAs("resolved"), "resolved of p2");
  }

  @Test
  void parquetIntegersAreKept() {
    assertEquals(3, published("p1").<Integer>getAs("customer_messages"), "customer_messages of p1");
  }

  @Test
  void parquetIdentifiersAreTrimmed() {
    assertTrue(sessions.containsKey("p1"), "' p1 ' published as p1; published: " + sessions.keySet());
  }

  @Test
  void parquetTimestampOutsideYearRangeIsBadTimestamp() {
    assertFalse(sessions.containsKey("p3"), "p3 published");
    assertEquals(1, quality.count("sessions", QualityReport.REJECTED, Reasons.BAD_TIMESTAMP),
        "bad_timestamp count");
  }

  @Test
  void deltaRosterIsRead() {
    assertEquals("Ann", roster.get("A").<String>getAs("display_name"), "display_name of A");
    assertEquals(LocalDate.of(2024, 1, 10), roster.get("A").<Date>getAs("hired_at").toLocalDate(),
        "hired_at of A");
    assertFalse(roster.get("C").<Boolean>getAs("active"), "active of C");
  }

  @Test
  void deltaNullActiveMeansActive() {
    assertTrue(roster.get("B").<Boolean>getAs("active"), "active of B");
  }

  @Test
  void jsonLinesSurveyIsRead() {
    assertEquals("j1", survey.<String>getAs("survey_id"), "survey_id");
    assertEquals(Instant.parse("2026-09-01T04:00:00Z"), instant(survey, "submitted_at"), "submitted_at");
    assertEquals(4, survey.<Integer>getAs("csat"), "csat given as a string");
    assertEquals(7, survey.<Integer>getAs("nps"), "nps given as a number");
  }
}
