package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of the scoring rules: every unsupported or inconsistent setting names its key. */
class ScoringConfigLoaderTest {
  @TempDir
  Path dir;

  private static final String HEADER = "rules_version = \"t\"\npeer_group = []\n";

  private ScoringConfig load(String hocon) throws Exception {
    Path file = dir.resolve("scoring-" + Math.abs(hocon.hashCode()) + ".conf");
    Files.writeString(file, hocon);
    return ScoringConfigLoader.load(file);
  }

  /** Loads and expects a config error whose message names the key. */
  private String rejected(String hocon, String key) {
    ConsultScoreException error = assertThrows(ConsultScoreException.class, () -> load(hocon));
    assertTrue(error.getMessage().contains("'" + key + "'"), error.getMessage());
    assertEquals(2, error.exitCode());
    return error.getMessage();
  }

  private static String oneMetric(String settings) {
    return HEADER + "dimensions { satisfaction.weight = 1 }\n"
        + "metrics { csat_mean { dimension = satisfaction, " + settings + " } }\n";
  }

  @Test
  void shippedRulesLoad() throws Exception {
    ScoringConfig rules = ScoringConfigLoader.load(Path.of(System.getProperty("consultscore.project.dir", "."))
        .resolve("conf/scoring.conf"));
    assertEquals("expert", rules.weightingMethod());
    assertEquals("percentile", rules.metrics().get("csat_mean").normalization());
  }

  @Test
  void targetNeedsFloorAndTarget() throws Exception {
    rejected(oneMetric("normalization = target, target = 5"), "metrics.csat_mean.floor");
    rejected(oneMetric("normalization = target, floor = 3"), "metrics.csat_mean.target");
    String message = rejected(oneMetric("normalization = target, floor = 4, target = 4"), "metrics.csat_mean.target");
    assertTrue(message.contains("equals floor"), message);
    ScoringConfig rules = load(oneMetric("normalization = target, floor = 3, target = 5"));
    assertEquals(3.0, rules.metrics().get("csat_mean").floor());
    assertEquals(5.0, rules.metrics().get("csat_mean").target());
  }

  @Test
  void targetOrderMustAgreeWithDirection() throws Exception {
    String message = rejected(oneMetric("normalization = target, floor = 5, target = 3"), "metrics.csat_mean.target");
    assertTrue(message.contains("direction"), message);
    ScoringConfig rules = load(oneMetric("normalization = target, floor = 5, target = 3, direction = lower"));
    assertEquals("lower", rules.metrics().get("csat_mean").direction());
  }

  @Test
  void floorAndTargetOnlyWithTargetNormalization() {
    rejected(oneMetric("normalization = zscore, floor = 3"), "metrics.csat_mean.floor");
    rejected(oneMetric("target = 5"), "metrics.csat_mean.target");
  }

  @Test
  void unknownNormalizationIsRejected() {
    String message = rejected(oneMetric("normalization = robust"), "metrics.csat_mean.normalization");
    assertTrue(message.contains("percentile, zscore, minmax, target"), message);
  }
}
