package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.consultscore.TestProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Environment substitution for secrets, and that a secret never reaches logs or the run record. */
class ConfigSecretsTest {
  @TempDir
  Path dir;

  private AppConfig load(Path folder, String settings) {
    return TestProject.in(folder).sessions("s1,A,U1,2026-09-01 10:00:00,,,2026-09-01 10:05:00,web,,,,,,")
        .settings(settings).load();
  }

  @Test
  void environmentVariableOverridesKey() {
    AppConfig config = load(dir, "output.pseudonym_key = ${?CONSULTSCORE_TEST_SECRET}");
    assertEquals("secret-from-environment", config.pseudonymKey());
  }

  @Test
  void unsetEnvironmentVariableKeepsFileValue() {
    AppConfig config = load(dir, "output.pseudonym_key = \"from-file\"\noutput.pseudonym_key = ${?CONSULTSCORE_UNSET_VARIABLE}");
    assertEquals("from-file", config.pseudonymKey());
  }

  @Test
  void secretIsNotInToString() {
    AppConfig config = load(dir, "output.pseudonym_key = ${?CONSULTSCORE_TEST_SECRET}");
    assertFalse(config.toString().contains("secret-from-environment"), config.toString());
  }

  @Test
  void digestDoesNotDependOnSecret() {
    AppConfig first = load(dir.resolve("a"), "output.pseudonym_key = \"one\"");
    AppConfig second = load(dir.resolve("b"), "output.pseudonym_key = \"two\"");
    // Same settings except the secret and the folder names inside paths.
    AppConfig third = load(dir.resolve("a"), "output.pseudonym_key = \"three\"");
    assertEquals(first.digest(), third.digest(), "the digest in run_log must not reveal or track the key");
    assertFalse(second.digest().isEmpty());
  }
}
