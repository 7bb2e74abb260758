package org.consultscore.config;

import java.util.List;
import java.util.Map;

/**
 * The published scoring rules: who is eligible, peer groups, metric and dimension weights,
 * grades, explanations and segments. See conf/scoring.conf and docs/scoring-rules.md.
 */
public record ScoringConfig(
    String rulesVersion,
    int minSessions,
    List<String> peerGroup,
    double minCoverage,
    Weighting weighting,
    Map<String, DimensionRule> dimensions,
    Map<String, MetricRule> metrics,
    String gradeMethod,
    Map<String, Double> forcedDistribution,
    Map<String, Double> gradeThresholds,
    List<String> incentiveGrades,
    SegmentRules segments) {

  /** The grades from best to worst. */
  public static final List<String> GRADES = List.of("S", "A", "B", "C", "D");

  /** The dimensions the job supports, in display order. */
  public static final List<String> DIMENSIONS = List.of(
      "responsiveness", "resolution", "satisfaction", "quality", "business", "efficiency",
      "collaboration");

  /**
   * One dimension: its expert weight in the composite (0 when the weighting method does not
   * need expert weights and none were given), its names, the words used in segment
   * labels when a segment is high or low on it, and the coaching topic for people whose
   * weakest dimension it is.
   */
  public record DimensionRule(
      String name,
      double weight,
      String labelEn,
      String labelZh,
      String highEn,
      String highZh,
      String lowEn,
      String lowZh,
      String coachingEn,
      String coachingZh) {}

  /**
   * One scored metric: its dimension, weight inside it, direction, normalization and prior.
   * {@code floor} and {@code target} are set for normalization {@code target} only, else null.
   */
  public record MetricRule(
      String metric,
      String dimension,
      double weight,
      String direction,
      String normalization,
      double priorStrength,
      Double floor,
      Double target) {

    public boolean lowerIsBetter() {
      return "lower".equals(direction);
    }
  }

  /**
   * How the dimension weights of the composite are chosen (weighting.method):
   * {@code expert} the weights under dimensions; {@code ahp} the weights of the pairwise
   * comparison matrix, computed when the rules are loaded; {@code entropy} and {@code critic}
   * computed per period from the dimension scores; {@code blend} alpha * expert +
   * (1 - alpha) * the objective method {@code blendObjective}.
   *
   * @param ahpWeights method ahp: the weight of each dimension; else empty
   * @param ahpConsistencyRatio method ahp: CR of the matrix; else 0
   * @param blendAlpha method blend: the share of the expert weights; else 0
   * @param blendObjective method blend: entropy or critic; else null
   */
  public record Weighting(
      String method,
      Map<String, Double> ahpWeights,
      double ahpConsistencyRatio,
      double blendAlpha,
      String blendObjective) {

    /** The method that computes weights from the period's data, or null for expert and ahp. */
    public String objectiveMethod() {
      return switch (method) {
        case "entropy", "critic" -> method;
        case "blend" -> blendObjective;
        default -> null;
      };
    }
  }

  /**
   * Clustering settings of the segments stage. matchMaxDistance is the Euclidean distance on the
   * 0-100 dimension-score scale beyond which a segment does not keep the previous period's id.
   * restarts is the number of k-means fits from different seeds, of which the one with the
   * lowest within-cluster sum of squares is kept.
   */
  public record SegmentRules(String algorithm, int k, int kMin, int kMax, long seed, int restarts,
      int maxIterations, double labelThreshold, double matchMaxDistance) {}

  public String weightingMethod() {
    return weighting.method();
  }

  /**
   * Whether dimensions.<name>.weight is set for the scored dimensions. Always true for expert
   * and blend; optional for ahp, entropy and critic, where it is only the fallback.
   */
  public boolean hasExpertWeights() {
    return dimensions.values().stream().anyMatch(d -> d.weight() > 0);
  }

  public List<MetricRule> metricsOf(String dimension) {
    return metrics.values().stream().filter(m -> m.dimension().equals(dimension)).toList();
  }
}
