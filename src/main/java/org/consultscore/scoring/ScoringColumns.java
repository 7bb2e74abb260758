package org.consultscore.scoring;

/** Column names the scoring stage adds to the metrics. */
final class ScoringColumns {
  static final String ELIGIBLE = "eligible";
  static final String COVERAGE = "coverage";
  static final String COMPOSITE = "composite";
  static final String REASON = "not_scored_reason";

  private ScoringColumns() {}

  static String dimensionScore(String dimension) {
    return dimension + "_score";
  }

  static String contribution(String dimension) {
    return dimension + "_contribution";
  }
}
