package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.consultscore.TestProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading of application.conf: a valid file loads, and each invalid one fails with exit code 2
 * and a message naming the key.
 */
class ConfigLoaderTest {
  @TempDir
  Path dir;

  private TestProject project() {
    return TestProject.in(dir).sessions("s1,A,U1,2026-09-01 10:00:00,,,2026-09-01 10:10:00,,,,,,,");
  }

  private ConsultScoreException loadFails(TestProject project) {
    ConsultScoreException error = assertThrows(ConsultScoreException.class, project::load);
    assertEquals(Errors.EXIT_BAD_INPUT, error.exitCode(), "exit code of: " + error.getMessage());
    return error;
  }

  @Test
  void validConfigLoads() {
    AppConfig config = project().settings("quality.max_reject_rate = 0.1").load();

    assertEquals(0.1, config.maxRejectRate(), 1e-12, "max_reject_rate");
    assertEquals("csv", config.sources().get("sessions").format(), "sessions format");
  }

  @Test
  void unknownKeyNamesKeyAndFile() {
    String message = loadFails(project().settings("quality.max_reject_rat = 0.1")).getMessage();

    assertTrue(message.contains("'quality.max_reject_rat'"), "key in: " + message);
    assertTrue(message.contains(dir.resolve("application.conf").toString()), "file in: " + message);
    assertTrue(message.contains("max_reject_rate"), "allowed keys in: " + message);
  }

  @Test
  void unknownSourceKeyNamesKeyAndFile() {
    TestProject project = project();
    project.source("sessions", "format = csv\npath = \"" + dir.resolve("sessions.csv") + "\"\nencodng = GBK");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("'encodng'"), "key in: " + message);
    assertTrue(message.contains(dir.resolve("application.conf").toString()), "file in: " + message);
  }

  @Test
  void wrongTypeNamesKey() {
    String message = loadFails(project().settings("quality.max_reject_rate = \"lots\"")).getMessage();

    assertTrue(message.contains("'quality.max_reject_rate'"), "key in: " + message);
    assertTrue(message.contains(dir.resolve("application.conf").toString()), "file in: " + message);
  }

  @Test
  void rejectRateAboveOneFails() {
    String message = loadFails(project().settings("quality.max_reject_rate = 5")).getMessage();

    assertTrue(message.contains("'quality.max_reject_rate'"), "key in: " + message);
    assertTrue(message.contains("between 0 and 1"), "allowed range in: " + message);
  }

  @Test
  void unknownEpochUnitFails() {
    TestProject project = project();
    project.source("sessions", "format = csv\npath = \"" + dir.resolve("sessions.csv") + "\"\nepoch_unit = hours");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("'sources.sessions.epoch_unit'"), "key in: " + message);
    assertTrue(message.contains("seconds"), "allowed values in: " + message);
  }

  @Test
  void unknownSourceNameFails() {
    TestProject project = project().source("sesions", "format = csv\npath = \"x.csv\"");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("'sources.sesions'"), "key in: " + message);
    assertTrue(message.contains("unknown source"), "problem in: " + message);
    assertTrue(message.contains(dir.resolve("application.conf").toString()), "file in: " + message);
  }

  @Test
  void plannedSourceNameFails() {
    TestProject project = project().source("messages", "format = csv\npath = \"x.csv\"");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("'sources.messages'"), "key in: " + message);
    assertTrue(message.contains("not read by this version"), "problem in: " + message);
  }

  @Test
  void missingSessionsSourceFails() {
    TestProject project = TestProject.in(dir).source("surveys", "format = json\npath = \"x.jsonl\"");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("'sources.sessions'"), "key in: " + message);
  }
}
