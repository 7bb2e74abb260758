package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
    assertEquals(5, rules.segments().restarts(), "segments.restarts of the shipped rules");
  }

  @Test
  void shippedRulesScoreTheSevenDefaultDimensions() throws Exception {
    ScoringConfig rules = ScoringConfigLoader.load(Path.of(System.getProperty("consultscore.project.dir", "."))
        .resolve("conf/scoring.conf"));
    // The default dimensions and their default metrics, lower-is-better ones marked "-".
    Map<String, List<String>> defaults = new LinkedHashMap<>();
    defaults.put("responsiveness", List.of("-frt_median_s", "sla_rate", "-reply_time_median_s"));
    defaults.put("resolution", List.of("resolution_rate", "fcr_rate", "-transfer_rate"));
    defaults.put("satisfaction", List.of("csat_mean", "csat_satisfied_rate", "nps"));
    defaults.put("quality", List.of("qa_score_mean", "qa_accuracy_mean", "-critical_error_rate"));
    defaults.put("business", List.of("conversion_rate", "revenue_per_session", "follow_up_rate", "-refund_rate"));
    defaults.put("efficiency", List.of("sessions_per_hour", "occupancy_rate"));
    defaults.put("collaboration", List.of("review_360_mean"));

    assertEquals(List.copyOf(defaults.keySet()), List.copyOf(rules.dimensions().keySet()), "dimensions in order");
    double dimensionTotal = rules.dimensions().values().stream().mapToDouble(ScoringConfig.DimensionRule::weight).sum();
    assertEquals(1.0, dimensionTotal, 1e-12, "dimension weights");
    defaults.forEach((dimension, expected) -> {
      List<ScoringConfig.MetricRule> metrics = rules.metricsOf(dimension);
      Set<String> actual = metrics.stream().map(m -> (m.lowerIsBetter() ? "-" : "") + m.metric())
          .collect(Collectors.toSet());
      assertEquals(Set.copyOf(expected), actual, "metrics and directions of " + dimension);
      assertEquals(1.0, metrics.stream().mapToDouble(ScoringConfig.MetricRule::weight).sum(), 1e-12,
          "metric weights of " + dimension);
      for (ScoringConfig.MetricRule metric : metrics) {
        assertEquals("percentile", metric.normalization(), metric.metric());
        assertEquals(ScoringConfigLoader.defaultPrior(MetricCatalog.get(metric.metric())), metric.priorStrength(),
            "prior strength of " + metric.metric());
      }
    });
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

  /** Three dimensions with one metric each and the given weighting block and dimension weights. */
  private static String threeDimensions(String weighting, String dimensionWeights) {
    return HEADER + "weighting { " + weighting + " }\n"
        + "dimensions { " + dimensionWeights + " }\n"
        + "metrics {\n  sla_rate { dimension = responsiveness }\n  resolution_rate { dimension = resolution }\n"
        + "  csat_mean { dimension = satisfaction }\n}\n";
  }

  private static String ahp(String matrix) {
    return threeDimensions("method = ahp, ahp { dimensions = [responsiveness, resolution, satisfaction], matrix = "
        + matrix + " }", "");
  }

  @Test
  void consistentAhpMatrixGivesItsWeights() throws Exception {
    // a_ij = w_i / w_j for w = (0.5, 0.3, 0.2): every column is proportional to w, so w is the
    // principal eigenvector, lambda_max = n = 3, CI = 0 and CR = 0.
    ScoringConfig rules = load(ahp("[[1, \"5/3\", 2.5], [0.6, 1, 1.5], [0.4, \"2/3\", 1]]"));
    assertEquals("ahp", rules.weightingMethod());
    assertEquals(0.5, rules.weighting().ahpWeights().get("responsiveness"), 1e-12);
    assertEquals(0.3, rules.weighting().ahpWeights().get("resolution"), 1e-12);
    assertEquals(0.2, rules.weighting().ahpWeights().get("satisfaction"), 1e-12);
    assertEquals(0.0, rules.weighting().ahpConsistencyRatio(), 1e-12);
  }

  @Test
  void ahpMatrixRowsFollowTheListedOrder() throws Exception {
    // The same judgments with the rows listed satisfaction, responsiveness, resolution.
    ScoringConfig rules = load(threeDimensions("method = ahp, ahp { dimensions = [satisfaction, responsiveness,"
        + " resolution], matrix = [[1, 0.4, \"2/3\"], [2.5, 1, \"5/3\"], [1.5, 0.6, 1]] }", ""));
    assertEquals(0.5, rules.weighting().ahpWeights().get("responsiveness"), 1e-12);
    assertEquals(0.2, rules.weighting().ahpWeights().get("satisfaction"), 1e-12);
  }

  @Test
  void inconsistentAhpMatrixIsRejectedWithItsRatio() {
    // A cyclic matrix: responsiveness 9x resolution, resolution 9x satisfaction, satisfaction
    // 9x responsiveness. It is circulant, so (1, 1, 1) is its principal eigenvector with
    // lambda_max = 1 + 9 + 1/9 = 91/9; CI = (91/9 - 3) / 2 = 32/9 = 3.5556 and
    // CR = CI / RI(3) = 3.5556 / 0.58 = 6.130.
    String message = rejected(ahp("[[1, 9, \"1/9\"], [\"1/9\", 1, 9], [9, \"1/9\", 1]]"), "weighting.ahp.matrix");
    assertTrue(message.contains("CR = 6.130"), message);
    // Mildly inconsistent judgments (CR about 0.016) are accepted.
    assertTrue(assertDoesNotThrowLoad(ahp("[[1, 2, 4], [0.5, 1, 3], [0.25, \"1/3\", 1]]")) < 0.1);
  }

  private double assertDoesNotThrowLoad(String hocon) {
    try {
      return load(hocon).weighting().ahpConsistencyRatio();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void ahpMatrixMustBeReciprocalAndCoverTheDimensions() {
    String message = rejected(ahp("[[1, 2, 4], [2, 1, 3], [0.25, \"1/3\", 1]]"), "weighting.ahp.matrix");
    assertTrue(message.contains("reciprocal"), message);
    rejected(ahp("[[1, 2], [0.5, 1]]"), "weighting.ahp.matrix");
    rejected(ahp("[[1, 2, 4], [0.5, 1, 3], [0.25, \"one third\", 1]]"), "weighting.ahp.matrix");
    rejected(threeDimensions("method = ahp, ahp { dimensions = [responsiveness, resolution], matrix = [[1, 2], [0.5, 1]] }",
        ""), "weighting.ahp.dimensions");
    rejected(threeDimensions("method = ahp, ahp { dimensions = [responsiveness, resolution, quality], matrix = [] }",
        ""), "weighting.ahp.dimensions");
  }

  @Test
  void objectiveMethodsTakeAllOrNoExpertWeights() throws Exception {
    assertEquals("entropy", load(threeDimensions("method = entropy", "")).weightingMethod());
    ScoringConfig critic = load(threeDimensions("method = critic",
        "responsiveness.weight = 2, resolution.weight = 1, satisfaction.weight = 1"));
    assertEquals(0.5, critic.dimensions().get("responsiveness").weight(), 1e-12, "normalized fallback weights");
    rejected(threeDimensions("method = entropy", "responsiveness.weight = 0.5, resolution.weight = 0.5"),
        "dimensions.satisfaction.weight");
    rejected(threeDimensions("method = expert", "responsiveness.weight = 0.5, resolution.weight = 0.5"),
        "dimensions.satisfaction.weight");
  }

  @Test
  void blendNeedsExpertWeightsAndAnObjectiveMethod() throws Exception {
    String weights = "responsiveness.weight = 0.3, resolution.weight = 0.35, satisfaction.weight = 0.35";
    ScoringConfig blend = load(threeDimensions("method = blend, blend { alpha = 0.7, objective = critic }", weights));
    assertEquals(0.7, blend.weighting().blendAlpha(), 1e-12);
    assertEquals("critic", blend.weighting().objectiveMethod());
    rejected(threeDimensions("method = blend", ""), "dimensions.responsiveness.weight");
    rejected(threeDimensions("method = blend, blend.objective = ahp", weights), "weighting.blend.objective");
    rejected(threeDimensions("method = blend, blend.alpha = 1.5", weights), "weighting.blend.alpha");
    rejected(threeDimensions("method = topsis", weights), "weighting.method");
    rejected(threeDimensions("method = expert, ahp.matrx = []", weights), "weighting.ahp.matrx");
  }
}
