package org.consultscore.ingest;

import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConsultScoreException;
import org.consultscore.config.Errors;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that stop the run: a missing file, a missing required column and too many rejected rows. */
class IngestFailureTest {
  @TempDir
  Path dir;

  private final SparkSession spark = SparkTestSession.spark();

  private AppConfig load(TestProject project) {
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);
    return config;
  }

  /** Twenty sessions of which the given number have an unparseable or reversed time. */
  private TestProject sessionsWithBadRows(int unparseable, int reversed) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 20 - unparseable - reversed; i++) {
      lines.add(session("ok-" + i).csv());
    }
    for (int i = 0; i < unparseable; i++) {
      lines.add(session("unparseable-" + i).with("started_at", "soon").csv());
    }
    for (int i = 0; i < reversed; i++) {
      lines.add(session("reversed-" + i).with("ended_at", "2026-09-01 09:00:00").csv());
    }
    return TestProject.in(dir).sessions(lines.toArray(new String[0]));
  }

  @Test
  void missingRequiredColumnFails() {
    TestProject project = TestProject.in(dir);
    Path file = project.file("sessions.csv",
        "session_id,consultant_id,started_at,ended_at",
        "s1,A,2026-09-01 10:00:00,2026-09-01 10:10:00");
    project.source("sessions", "format = csv\npath = \"" + file + "\"");
    AppConfig config = load(project);

    ConsultScoreException error = assertThrows(ConsultScoreException.class, () -> Ingest.run(spark, config));

    assertEquals(Errors.EXIT_BAD_INPUT, error.exitCode(), "exit code");
    assertTrue(error.getMessage().contains("'sessions'"), "source in: " + error.getMessage());
    assertTrue(error.getMessage().contains("'customer_id'"), "column in: " + error.getMessage());
  }

  @Test
  void missingInputFileNamesSetting() {
    TestProject project = TestProject.in(dir);
    Path missing = dir.resolve("no-such-sessions.csv");
    project.source("sessions", "format = csv\npath = \"" + missing + "\"");
    AppConfig config = load(project);

    ConsultScoreException error = assertThrows(ConsultScoreException.class, () -> Ingest.run(spark, config));

    assertEquals(Errors.EXIT_BAD_INPUT, error.exitCode(), "exit code");
    assertTrue(error.getMessage().contains("no-such-sessions.csv"), "path in: " + error.getMessage());
    assertTrue(error.getMessage().contains("sources.sessions.path"), "setting in: " + error.getMessage());
  }

  @Test
  void mappedColumnMissingFails() {
    TestProject project = TestProject.in(dir);
    Path file = project.file("sessions.csv",
        "session_id,consultant_id,started_at,ended_at",
        "s1,A,2026-09-01 10:00:00,2026-09-01 10:10:00");
    project.source("sessions", "format = csv\npath = \"" + file + "\"\ncolumns { customer_id = member_no }");
    AppConfig config = load(project);

    ConsultScoreException error = assertThrows(ConsultScoreException.class, () -> Ingest.run(spark, config));

    assertEquals(Errors.EXIT_BAD_INPUT, error.exitCode(), "exit code");
    assertTrue(error.getMessage().contains("'sessions'"), "source in: " + error.getMessage());
    assertTrue(error.getMessage().contains("customer_id"), "contract column in: " + error.getMessage());
    assertTrue(error.getMessage().contains("member_no"), "mapped column in: " + error.getMessage());
  }

  @Test
  void rejectShareAboveMaxFailsRun() {
    AppConfig config = load(sessionsWithBadRows(2, 1));

    ConsultScoreException error = assertThrows(ConsultScoreException.class, () -> Ingest.run(spark, config));

    String message = error.getMessage();
    assertEquals(Errors.EXIT_BAD_INPUT, error.exitCode(), "exit code");
    assertTrue(message.contains("'sessions'"), "source in: " + message);
    assertTrue(message.contains("15.00%"), "share of rejected rows in: " + message);
    assertTrue(message.contains("top reasons: bad_timestamp 2, negative_duration 1"),
        "top reasons in: " + message);
  }

  @Test
  void rejectShareAtMaxPasses() {
    AppConfig config = load(sessionsWithBadRows(1, 0));

    IngestResult result = assertDoesNotThrow(() -> Ingest.run(spark, config));

    assertEquals(0.05, result.quality().rejectShare("sessions"), 1e-12, "reject share");
  }

  @Test
  void inspectIgnoresRejectShare() {
    AppConfig config = load(sessionsWithBadRows(2, 1));

    IngestResult result = assertDoesNotThrow(() -> Ingest.inspect(spark, config));

    assertEquals(0.15, result.quality().rejectShare("sessions"), 1e-12, "reject share");
    assertEquals(17, result.quality().count("sessions", QualityReport.VALID), "valid sessions");
  }
}
