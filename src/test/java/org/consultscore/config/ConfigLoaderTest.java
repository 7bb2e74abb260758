package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
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
  void everyContractSourceLoads() {
    TestProject project = project();
    for (String name : List.of("messages", "qa_audits", "reviews", "outcomes", "work_time")) {
      project.source(name, "format = csv\npath = \"x.csv\"");
    }

    AppConfig config = project.load();

    assertEquals(6, config.sources().size(), "sessions and the five new sources");
  }

  @Test
  void metricWindowsDefaultToSevenDays() {
    AppConfig config = project().load();

    assertEquals(7 * 86_400L, config.fcrWindowSeconds(), "fcr_window");
    assertEquals(7 * 86_400L, config.followUpWindowSeconds(), "follow_up_window");
    assertEquals(7 * 86_400L, config.attributionWindowSeconds(), "attribution_window");
    assertEquals(0.5, config.reviewWeights().get("manager"), "manager weight");
  }

  @Test
  void negativeReviewWeightFails() {
    TestProject project = project().settings("metrics.review_weights.peer = -1");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("metrics.review_weights.peer"), "key in: " + message);
  }

  @Test
  void missingSessionsSourceFails() {
    TestProject project = TestProject.in(dir).source("surveys", "format = json\npath = \"x.jsonl\"");

    String message = loadFails(project).getMessage();

    assertTrue(message.contains("'sources.sessions'"), "key in: " + message);
  }
}
