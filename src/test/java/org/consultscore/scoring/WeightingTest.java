package org.consultscore.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.consultscore.config.ScoringConfig;
import org.consultscore.config.ScoringConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dimension weights: entropy and CRITIC on small examples whose weights were worked out by
 * hand (the arithmetic is in the comments) and on published examples, blend, the fallback,
 * and the score_weights rows.
 * With normalization target, floor 0 and target 1, a rate r scores 100 r, so each dimension
 * score below is 100 times the rate of its one metric.
 */
class WeightingTest {
  private static final double SQRT3 = Math.sqrt(3);
  /** CRITIC example below: w = (sqrt3 / (2 sqrt3 + 2), the same, 1 / (sqrt3 + 1)). */
  private static final double[] CRITIC_WEIGHTS = {SQRT3 / (2 * SQRT3 + 2), SQRT3 / (2 * SQRT3 + 2), 1 / (SQRT3 + 1)};
  /** Entropy example below: e_C = 1/2 + (2/3) ln 2 / ln 3. */
  private static final double ENTROPY_C = 0.5 + 2.0 / 3 * Math.log(2) / Math.log(3);

  @TempDir
  Path dir;

  private ScoringConfig rules(String weighting, String dimensionWeights) throws Exception {
    String hocon = "rules_version = \"w\"\npeer_group = []\n"
        + "weighting { " + weighting + " }\n"
        + "dimensions { " + dimensionWeights + " }\n"
        + "metrics {\n"
        + "  sla_rate { dimension = responsiveness, normalization = target, floor = 0, target = 1, prior_strength = 0 }\n"
        + "  resolution_rate { dimension = resolution, normalization = target, floor = 0, target = 1, prior_strength = 0 }\n"
        + "  csat_satisfied_rate { dimension = satisfaction, normalization = target, floor = 0, target = 1,"
        + " prior_strength = 0 }\n"
        + "}\n";
    Path file = dir.resolve("scoring-" + Math.abs(hocon.hashCode()) + ".conf");
    Files.writeString(file, hocon);
    return ScoringConfigLoader.load(file);
  }

  private static MetricRows rows(double[][] rates) {
    MetricRows rows = new MetricRows();
    for (int i = 0; i < rates.length; i++) {
      rows.add("p" + i, "sla_rate", rates[i][0], "resolution_rate", rates[i][1], "csat_satisfied_rate", rates[i][2]);
    }
    return rows;
  }

  /** Dimension weights of the one period, by dimension, and the method. */
  private static Map<String, Object[]> dimensionWeights(Scoring.Result result) {
    Map<String, Object[]> weights = new HashMap<>();
    for (Row row : result.weights().filter("level = 'dimension'").collectAsList()) {
      weights.put(row.getAs("name"), new Object[] {row.getAs("weight"), row.getAs("method")});
    }
    return weights;
  }

  // Entropy example, three people, dimensions A, B, C:
  //   A = 50, 50, 50: p = 1/3 each, e_A = -(1 / ln 3) * 3 * (1/3) ln(1/3) = 1, so 1 - e_A = 0.
  //   B = 100, 0, 0: p = 1, 0, 0, e_B = -(1 / ln 3) * (1 ln 1 + 0 + 0) = 0, so 1 - e_B = 1.
  //   C = 20, 40, 60: p = 1/6, 2/6, 3/6,
  //     e_C = (1/6 ln 6 + 1/3 ln 3 + 1/2 ln 2) / ln 3 = ((2/3) ln 2 + (1/2) ln 3) / ln 3
  //         = 1/2 + (2/3) ln 2 / ln 3 = 0.920620, so 1 - e_C = 0.079380.
  //   w = (0, 1, 1 - e_C) / (2 - e_C) = (0, 0.926457, 0.073543).
  private static final double[][] ENTROPY_EXAMPLE = {{50, 100, 20}, {50, 0, 40}, {50, 0, 60}};

  // CRITIC example, three people:
  //   A = 0, 50, 100; B = 0, 50, 100; C = 50, 100, 50.
  //   sigma_A = sigma_B = sqrt(5000 / 3) (deviations -50, 0, 50); C has mean 200/3 and
  //   deviations -50/3, 100/3, -50/3, so sigma_C = sqrt(5000 / 9).
  //   r_AB = 1; r_AC = r_BC = 0 (sum of (-50)(-50/3) + 0 + (50)(-50/3) = 0).
  //   C_A = sigma_A (0 + 0 + 1), C_B = sigma_B (0 + 0 + 1), C_C = sigma_C (1 + 1 + 0).
  //   Divided by sqrt 5000: 1/sqrt3, 1/sqrt3, 2/3, so w_A = w_B = sqrt3 / (2 sqrt3 + 2) =
  //   0.316987 and w_C = 1 / (sqrt3 + 1) = 0.366025.
  private static final double[][] CRITIC_EXAMPLE = {{0, 0, 50}, {50, 50, 100}, {100, 100, 50}};

  @Test
  void entropyOfWorkedExample() {
    double[] weights = DimensionWeights.entropy(ENTROPY_EXAMPLE, 3);
    assertArrayEquals(new double[] {0, 1 / (2 - ENTROPY_C), (1 - ENTROPY_C) / (2 - ENTROPY_C)}, weights, 1e-12);
    assertEquals(0.926457, weights[1], 1e-6);
    assertEquals(0.073543, weights[2], 1e-6);
  }

  @Test
  void criticOfWorkedExample() {
    double[] weights = DimensionWeights.critic(CRITIC_EXAMPLE, 3);
    assertArrayEquals(CRITIC_WEIGHTS, weights, 1e-12);
    assertEquals(0.316987, weights[0], 1e-6);
    assertEquals(0.366025, weights[2], 1e-6);
  }

  // Published entropy example: the 4 x 4 decision matrix of Xu, X. (2004), "A note on the
  // subjective and objective integrated approach to determine attribute weights", European
  // Journal of Operational Research 156(2), 530-532, doi:10.1016/S0377-2217(03)00146-2, with its
  // weights 0.4630, 0.3992, 0.1378, 0.0000, as reproduced in the test suite of pyrepo-mcda
  // (https://github.com/energyinpython/pyrepo-mcda, tests/test_weighting_methods.py). The paper
  // itself was not checked. That source takes p_ij = x_ij / sum_i x_ij of the raw values, as
  // the engine does, so the matrix goes in unchanged. The fourth column is almost constant
  // (29, 29, 28.9, 29), so its weight rounds to 0.
  private static final double[][] XU_2004_MATRIX = {
      {30, 30, 38, 29},
      {19, 54, 86, 29},
      {19, 15, 85, 28.9},
      {68, 70, 60, 29}};
  private static final double[] XU_2004_WEIGHTS = {0.4630, 0.3992, 0.1378, 0.0000};

  @Test
  void entropyOfPublishedExample() {
    double[] weights = DimensionWeights.entropy(XU_2004_MATRIX, 4);
    for (int j = 0; j < weights.length; j++) {
      // The source prints four decimals, so a correct weight is within half a unit of the last one.
      assertEquals(XU_2004_WEIGHTS[j], weights[j], 0.00005, "weight of criterion " + (j + 1));
    }
    assertEquals(1.0, java.util.Arrays.stream(weights).sum(), 1e-12);
  }

  // Published CRITIC example: the 5 alternatives x 6 criteria decision matrix of Tus, A. and
  // Aytac Adali, E. (2019), "The new combination with CRITIC and WASPAS methods for the time and
  // attendance software selection problem", Opsearch 56(2), 528-538,
  // doi:10.1007/s12597-019-00371-6, with its CRITIC weights 0.157, 0.249, 0.168, 0.121, 0.154,
  // 0.151, as reproduced in the same pyrepo-mcda test file. The paper itself was not checked.
  // That source min-max normalizes every column to [0, 1] as higher-is-better (the price
  // column too) before CRITIC, while the engine applies CRITIC to dimension scores that are
  // already on 0-100. So the test does the min-max step itself and checks the CRITIC step.
  // The source's standard deviation divisor does not matter here: changing it scales every
  // sigma_j by the same factor, which cancels in the weights.
  private static final double[][] TUS_2019_MATRIX = {
      {5000, 3, 3, 4, 3, 2},
      {680, 5, 3, 2, 2, 1},
      {2000, 3, 2, 3, 4, 3},
      {600, 4, 3, 1, 2, 2},
      {800, 2, 4, 3, 3, 4}};
  private static final double[] TUS_2019_WEIGHTS = {0.157, 0.249, 0.168, 0.121, 0.154, 0.151};

  @Test
  void criticOfPublishedExample() {
    double[] weights = DimensionWeights.critic(minMax(TUS_2019_MATRIX), 6);
    for (int j = 0; j < weights.length; j++) {
      // The source prints three decimals.
      assertEquals(TUS_2019_WEIGHTS[j], weights[j], 0.0005, "weight of criterion " + (j + 1));
    }
    assertEquals(1.0, java.util.Arrays.stream(weights).sum(), 1e-12);
  }

  /** Rescales each column to [0, 1]: (x - min) / (max - min). */
  private static double[][] minMax(double[][] x) {
    int columns = x[0].length;
    double[][] scaled = new double[x.length][columns];
    for (int j = 0; j < columns; j++) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (double[] row : x) {
        min = Math.min(min, row[j]);
        max = Math.max(max, row[j]);
      }
      for (int i = 0; i < x.length; i++) {
        scaled[i][j] = (x[i][j] - min) / (max - min);
      }
    }
    return scaled;
  }

  @Test
  void objectiveWeightsNeedVariation() {
    assertNull(DimensionWeights.entropy(new double[][] {{50, 60, 70}}, 3), "one row");
    assertNull(DimensionWeights.critic(new double[][] {{50, 60, 70}, {50, 60, 70}}, 3), "no variation");
    // A missing score (NaN) leaves the column's other rows: A = 10, 30 -> p = 1/4, 3/4.
    double[] weights = DimensionWeights.entropy(new double[][] {{10, 50}, {30, 50}, {Double.NaN, 50}}, 2);
    assertArrayEquals(new double[] {1, 0}, weights, 1e-12);
  }

  @Test
  void entropyWeightsTheComposite() throws Exception {
    ScoringConfig rules = rules("method = entropy", "");
    Scoring.Result result = Scoring.score(rows(scale(ENTROPY_EXAMPLE)).toDataset(), rules, "month", null);
    Map<String, Object[]> weights = dimensionWeights(result);
    double wB = 1 / (2 - ENTROPY_C);
    double wC = (1 - ENTROPY_C) / (2 - ENTROPY_C);
    assertEquals(0.0, (double) weights.get("responsiveness")[0], 1e-9);
    assertEquals(wB, (double) weights.get("resolution")[0], 1e-9);
    assertEquals(wC, (double) weights.get("satisfaction")[0], 1e-9);
    assertEquals("entropy", weights.get("resolution")[1]);
    Row first = result.scores().filter("consultant_id = 'p0'").first();
    assertEquals(0 * 50 + wB * 100 + wC * 20, first.<Double>getAs("composite"), 1e-9);
    assertEquals(1.0, first.<Double>getAs("coverage"), 1e-9);
  }

  @Test
  void criticAndBlend() throws Exception {
    ScoringConfig critic = rules("method = critic", "");
    Map<String, Object[]> weights = dimensionWeights(
        Scoring.score(rows(scale(CRITIC_EXAMPLE)).toDataset(), critic, "month", null));
    assertEquals(CRITIC_WEIGHTS[2], (double) weights.get("satisfaction")[0], 1e-9);
    assertEquals("critic", weights.get("satisfaction")[1]);

    // blend: 0.5 * (0.3, 0.35, 0.35) + 0.5 * CRITIC
    ScoringConfig blend = rules("method = blend, blend { alpha = 0.5, objective = critic }",
        "responsiveness.weight = 0.3, resolution.weight = 0.35, satisfaction.weight = 0.35");
    Scoring.Result result = Scoring.score(rows(scale(CRITIC_EXAMPLE)).toDataset(), blend, "month", null);
    weights = dimensionWeights(result);
    assertEquals(0.5 * 0.3 + 0.5 * CRITIC_WEIGHTS[0], (double) weights.get("responsiveness")[0], 1e-9);
    assertEquals(0.5 * 0.35 + 0.5 * CRITIC_WEIGHTS[1], (double) weights.get("resolution")[0], 1e-9);
    assertEquals(0.5 * 0.35 + 0.5 * CRITIC_WEIGHTS[2], (double) weights.get("satisfaction")[0], 1e-9);
    assertEquals("blend", weights.get("satisfaction")[1]);
  }

  @Test
  void tooFewRowsFallBackToExpertOrEqualWeights() throws Exception {
    MetricRows one = rows(new double[][] {{0.5, 0.6, 0.7}});
    Map<String, Object[]> equal = dimensionWeights(Scoring.score(one.toDataset(), rules("method = entropy", ""),
        "month", null));
    assertEquals(1.0 / 3, (double) equal.get("resolution")[0], 1e-12);
    assertEquals("equal", equal.get("resolution")[1]);
    Map<String, Object[]> expert = dimensionWeights(Scoring.score(one.toDataset(), rules("method = critic",
        "responsiveness.weight = 0.2, resolution.weight = 0.3, satisfaction.weight = 0.5"), "month", null));
    assertEquals(0.3, (double) expert.get("resolution")[0], 1e-12);
    assertEquals("expert", expert.get("resolution")[1]);
  }

  @Test
  void scoreWeightsListDimensionsAndMetricShares() throws Exception {
    ScoringConfig rules = rules("method = expert",
        "responsiveness.weight = 0.2, resolution.weight = 0.3, satisfaction.weight = 0.5");
    MetricRows metrics = rows(new double[][] {{0.5, 0.6, 0.7}, {0.4, 0.2, 0.9}})
        .add("q", "sla_rate", 0.5, "period_start", java.sql.Date.valueOf("2026-10-01"));
    List<Row> rows = Scoring.score(metrics.toDataset(), rules, "month", null).weights()
        .orderBy("period_start", "level", "name").collectAsList();
    assertEquals(12, rows.size(), "two periods, three dimensions and three metrics each");
    Row first = rows.get(0);
    assertEquals("month", first.getAs("period_grain"));
    assertEquals("dimension", first.getAs("level"));
    assertEquals("resolution", first.getAs("name"));
    assertEquals(0.3, first.<Double>getAs("weight"), 1e-12);
    assertEquals("expert", first.getAs("method"));
    Row metric = rows.stream().filter(r -> r.getAs("name").equals("sla_rate")).findFirst().orElseThrow();
    assertEquals("metric", metric.getAs("level"));
    assertEquals("responsiveness", metric.getAs("dimension"));
    assertEquals(1.0, metric.<Double>getAs("weight"), 1e-12, "the only metric of its dimension");
  }

  /** Scores 0-100 to the rates that score them under target 0..1. */
  private static double[][] scale(double[][] scores) {
    double[][] rates = new double[scores.length][];
    for (int i = 0; i < scores.length; i++) {
      rates[i] = java.util.Arrays.stream(scores[i]).map(s -> s / 100).toArray();
    }
    return rates;
  }
}
