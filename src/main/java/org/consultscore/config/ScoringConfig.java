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
    String weightingMethod,
    Map<String, DimensionRule> dimensions,
    Map<String, MetricRule> metrics,
    String gradeMethod,
    Map<String, Double> forcedDistribution,
    Map<String, Double> gradeThresholds,
    List<String> incentiveGrades,
    SegmentRules segments) {

  /** The grades from best to worst. */
  public static final List<String> GRADES = List.of("S", "A", "B", "C", "D");

  /** The dimensions the job knows, in display order. */
  public static final List<String> DIMENSIONS = List.of(
      "responsiveness", "resolution", "satisfaction", "quality", "business", "efficiency",
      "collaboration");

  /**
   * One dimension: its weight in the composite, its names, the words used in segment
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

  /** Clustering settings of the segments stage. */
  public record SegmentRules(
      String algorithm, int k, int kMin, int kMax, long seed, int maxIterations, double labelThreshold) {}

  public List<MetricRule> metricsOf(String dimension) {
    return metrics.values().stream().filter(m -> m.dimension().equals(dimension)).toList();
  }
}
