package org.consultscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.consultscore.CapturedOutput;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and help of the command line. */
class ConsultScoreCliTest {
  @TempDir
  Path dir;

  @Test
  void helpExitsZero() {
    assertEquals(0, ConsultScoreCli.execute("--help"));
    assertEquals(0, ConsultScoreCli.execute("run", "--help"));
    assertEquals(0, ConsultScoreCli.execute("validate", "--help"));
    assertEquals(0, ConsultScoreCli.execute("generate", "--help"));
    assertEquals(0, ConsultScoreCli.execute("explain", "--help"));
  }

  @Test
  void missingConfigOptionExitsTwo() {
    assertEquals(2, ConsultScoreCli.execute("run"));
  }

  @Test
  void missingConfigFileExitsTwo() {
    assertEquals(2, ConsultScoreCli.execute("run", "--config", dir.resolve("absent.conf").toString()));
  }

  @Test
  void unknownGrainExitsTwo() {
    assertEquals(2, ConsultScoreCli.execute("run", "--config", "conf/application.conf", "--grain", "year"));
  }

  @Test
  void unknownKeyInConfigExitsTwo() {
    Path config = SampleConfig.write(dir, "quality.max_reject_rat = 0.1");
    assertEquals(2, ConsultScoreCli.execute("validate", "--config", config.toString()));
  }

  @Test
  void validatePrintsQualityReport() {
    SparkTestSession.spark();
    Path config = SampleConfig.write(dir, "");
    int[] code = new int[1];
    String out = CapturedOutput.stdout(
        () -> code[0] = ConsultScoreCli.execute("validate", "--config", config.toString()));
    assertEquals(0, code[0], out);
    assertTrue(out.contains("negative_duration"), out);
    assertTrue(out.contains("Inputs OK"), out);
  }

  @Test
  void generateWritesSampleFiles() {
    Path output = dir.resolve("generated");
    assertEquals(0, ConsultScoreCli.execute("generate", "--output", output.toString(), "--consultants", "6"));
    assertTrue(output.resolve("sessions.csv").toFile().length() > 0, "sessions.csv is written");
    assertTrue(output.resolve("consultants.csv").toFile().length() > 0, "consultants.csv is written");
  }
}
