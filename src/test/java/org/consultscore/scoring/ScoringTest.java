package org.consultscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.consultscore.TestProject;
import org.consultscore.config.ScoringConfig;
import org.consultscore.config.ScoringConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring on hand-worked metrics: normalization, shrinkage, composite, grades and explanations. */
class ScoringTest {
  @TempDir
  Path dir;

  private ScoringConfig rules(String hocon) throws Exception {
    Path file = dir.resolve("scoring-" + Math.abs(hocon.hashCode()) + ".conf");
    Files.writeString(file, hocon);
    return ScoringConfigLoader.load(file);
  }

  /** One dimension with one metric, so the composite equals that metric's score. */
  private static String singleMetric(String metric, String settings) {
    return "rules_version = \"t\"\neligibility.min_sessions = 30\npeer_group = []\n"
        + "dimensions { responsiveness.weight = 1 }\n"
        + "metrics { " + metric + " { dimension = responsiveness, " + settings + " } }\n";
  }

  private static Map<String, Row> byConsultant(List<Row> rows) {
    Map<String, Row> map = new HashMap<>();
    rows.forEach(r -> map.put(r.getAs("consultant_id"), r));
    return map;
  }

  private static double number(Row row, String column) {
    return row.<Number>getAs(column).doubleValue();
  }

  @Test
  void percentileUsesAverageRankForTies() throws Exception {
    ScoringConfig rules = rules(singleMetric("csat_mean", "prior_strength = 0"));
    MetricRows metrics = new MetricRows()
        .add("a", "csat_mean", 4.0).add("b", "csat_mean", 4.5).add("c", "csat_mean", 4.5).add("d", "csat_mean", 5.0);
    Map<String, Row> scores = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
    // ranks 1, 2.5, 2.5, 4 of n = 4 -> 100 * (r - 1) / 3
    assertEquals(0.0, number(scores.get("a"), "csat_mean_score"), 1e-9);
    assertEquals(50.0, number(scores.get("b"), "csat_mean_score"), 1e-9);
    assertEquals(50.0, number(scores.get("c"), "csat_mean_score"), 1e-9);
    assertEquals(100.0, number(scores.get("d"), "csat_mean_score"), 1e-9);
  }

  @Test
  void lowerIsBetterRanksInReverse() throws Exception {
    ScoringConfig rules = rules(singleMetric("frt_median_s", "direction = lower"));
    MetricRows metrics = new MetricRows()
        .add("fast", "frt_median_s", 10.0).add("middle", "frt_median_s", 20.0).add("slow", "frt_median_s", 30.0);
    Map<String, Row> scores = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
    assertEquals(100.0, number(scores.get("fast"), "frt_median_s_score"), 1e-9);
    assertEquals(50.0, number(scores.get("middle"), "frt_median_s_score"), 1e-9);
    assertEquals(0.0, number(scores.get("slow"), "frt_median_s_score"), 1e-9);
  }

  @Test
  void singlePeerScoresFifty() throws Exception {
    ScoringConfig rules = rules(singleMetric("sla_rate", "prior_strength = 0"));
    Row only = Scoring.run(new MetricRows().add("alone", "sla_rate", 0.9).toDataset(), rules, "month", null).first();
    assertEquals(50.0, number(only, "sla_rate_score"), 1e-9);
    assertEquals(50.0, number(only, "percentile"), 1e-9);
  }

  @Test
  void shrinkageRanksFewSurveysBelowMany() throws Exception {
    ScoringConfig rules = rules(singleMetric("csat_mean", "prior_strength = 10"));
    MetricRows metrics = new MetricRows()
        .add("few", "csat_mean", 5.0, "surveys", 3L)
        .add("many", "csat_mean", 4.8, "surveys", 300L)
        .add("other", "csat_mean", 4.0, "surveys", 100L);
    Map<String, Row> scores = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
    // mu = (3 * 5 + 300 * 4.8 + 100 * 4) / 403; x' = (n * x + 10 * mu) / (n + 10)
    double mu = (15 + 1440 + 400) / 403.0;
    assertEquals((15 + 10 * mu) / 13, number(scores.get("few"), "csat_mean_shrunk"), 1e-9);
    assertEquals((1440 + 10 * mu) / 310, number(scores.get("many"), "csat_mean_shrunk"), 1e-9);
    assertTrue(number(scores.get("few"), "csat_mean_score") < number(scores.get("many"), "csat_mean_score"),
        "3 surveys of 5 stars must score below 300 surveys averaging 4.8");
  }

  @Test
  void missingMetricHasNoScoreAndLowersCoverage() throws Exception {
    ScoringConfig rules = rules(TestProject.defaultScoring(30).replace("peer_group = []", "peer_group = []\nmin_coverage = 0.7"));
    MetricRows metrics = new MetricRows()
        .add("a", "sla_rate", 0.9, "resolution_rate", 0.8)
        .add("b", "sla_rate", 0.7, "resolution_rate", 0.6);
    Map<String, Row> scores = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
    Row a = scores.get("a");
    assertNull(a.getAs("csat_mean_score"), "no surveys means no score, not zero");
    assertNull(a.getAs("satisfaction_score"), "no satisfaction metric at all");
    assertEquals(0.65, number(a, "coverage"), 1e-9);
    assertNull(a.getAs("composite"), "coverage 0.65 is below min_coverage 0.7");
    assertTrue(a.<String>getAs("not_scored_reason").startsWith("low_coverage"), a.<String>getAs("not_scored_reason"));
  }

  @Test
  void compositeIsWeightedMeanOfAvailableDimensions() throws Exception {
    ScoringConfig rules = rules(TestProject.defaultScoring(30));
    MetricRows metrics = new MetricRows()
        .add("a", "sla_rate", 0.9, "resolution_rate", 0.8)
        .add("b", "sla_rate", 0.7, "resolution_rate", 0.6);
    Row a = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList()).get("a");
    // a scores 100 on both present metrics; responsiveness and resolution are 100, weights 0.3 and 0.35
    assertEquals(100.0, number(a, "responsiveness_score"), 1e-9);
    assertEquals(100.0, number(a, "resolution_score"), 1e-9);
    assertEquals(100.0, number(a, "composite"), 1e-9);
    assertEquals(0.65, number(a, "coverage"), 1e-9);
  }

  @Test
  void ineligibleRowKeepsMetricsWithoutComposite() throws Exception {
    ScoringConfig rules = rules(singleMetric("sla_rate", "prior_strength = 0"));
    MetricRows metrics = new MetricRows().add("busy", "sla_rate", 0.9).add("new", "sla_rate", 1.0, "sessions", 29L);
    Map<String, Row> scores = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
    Row newcomer = scores.get("new");
    assertEquals(false, newcomer.getAs("eligible"));
    assertNull(newcomer.getAs("composite"));
    assertNull(newcomer.getAs("grade"));
    assertNull(newcomer.getAs("sla_rate_score"), "ineligible rows are not normalized");
    assertTrue(newcomer.<String>getAs("not_scored_reason").startsWith("not_eligible"));
    assertEquals(50.0, number(scores.get("busy"), "composite"), 1e-9, "the only eligible peer scores 50");
  }

  @Test
  void forcedDistributionOnHundredPeopleWithTies() throws Exception {
    ScoringConfig rules = rules(singleMetric("sla_rate", "prior_strength = 0"));
    MetricRows metrics = new MetricRows();
    for (int i = 1; i <= 100; i++) {
      // people 10 and 11 (from the top) share a value
      double value = i == 90 ? 91 / 100.0 : i / 100.0;
      metrics.add(String.format("p%03d", i), "sla_rate", value);
    }
    List<Row> rows = Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList();
    Map<String, Long> counts = new HashMap<>();
    rows.forEach(r -> counts.merge(r.getAs("grade"), 1L, Long::sum));
    // The tie at ranks 10 and 11 puts both in S; the rest follows 20/40/20/10 by position.
    assertEquals(11L, counts.get("S"), "S");
    assertEquals(19L, counts.get("A"), "A");
    assertEquals(40L, counts.get("B"), "B");
    assertEquals(20L, counts.get("C"), "C");
    assertEquals(10L, counts.get("D"), "D");
    Map<String, Row> byId = byConsultant(rows);
    assertEquals(byId.get("p090").<Integer>getAs("rank_in_peer_group"), byId.get("p091").<Integer>getAs("rank_in_peer_group"),
        "tied people share a rank");
  }

  @Test
  void contributionsAddUpToCompositeMinusPeerMean() throws Exception {
    ScoringConfig rules = rules(TestProject.defaultScoring(30));
    MetricRows metrics = new MetricRows()
        .add("a", "frt_median_s", 10.0, "sla_rate", 0.9, "resolution_rate", 0.5, "transfer_rate", 0.1,
            "csat_mean", 4.0, "csat_satisfied_rate", 0.7, "nps", 20.0)
        .add("b", "frt_median_s", 30.0, "sla_rate", 0.8, "resolution_rate", 0.9, "transfer_rate", 0.2,
            "csat_mean", 4.5, "csat_satisfied_rate", 0.8, "nps", 40.0)
        .add("c", "frt_median_s", 20.0, "sla_rate", 0.6, "resolution_rate", 0.7, "transfer_rate", 0.05,
            "csat_mean", 3.5, "csat_satisfied_rate", 0.5, "nps", -10.0);
    List<Row> rows = Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList();
    double meanComposite = rows.stream().mapToDouble(r -> number(r, "composite")).average().orElseThrow();
    for (Row row : rows) {
      double sum = number(row, "responsiveness_contribution") + number(row, "resolution_contribution")
          + number(row, "satisfaction_contribution");
      assertEquals(number(row, "composite") - meanComposite, sum, 1e-9, "contributions of " + row.getAs("consultant_id"));
    }
    Row c = byConsultant(rows).get("c");
    assertEquals("satisfaction", c.getAs("weakest_dimension"));
    assertEquals("Customer experience: empathy, clear explanations, closing checks", c.getAs("coaching_focus_en"));
  }

  @Test
  void ranksWithinPeerGroupAndOverall() throws Exception {
    ScoringConfig rules = rules(singleMetric("sla_rate", "prior_strength = 0").replace("peer_group = []",
        "peer_group = [business_line]"));
    MetricRows metrics = new MetricRows()
        .add("e1", "sla_rate", 0.9).add("e2", "sla_rate", 0.5)
        .add("f1", "sla_rate", 0.8, "business_line", "fin").add("f2", "sla_rate", 0.7, "business_line", "fin");
    Map<String, Row> scores = byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
    assertEquals(1, scores.get("f1").<Integer>getAs("rank_in_peer_group"), "best of the finance group");
    assertEquals(1, scores.get("e1").<Integer>getAs("rank_in_peer_group"), "best of the education group");
    assertEquals(100.0, number(scores.get("f1"), "composite"), 1e-9, "scores are relative to the peer group");
    assertEquals(true, scores.get("e1").getAs("incentive_candidate"));
  }

  @Test
  void trendReadsPreviousPeriodOfTheRun() throws Exception {
    ScoringConfig rules = rules(singleMetric("sla_rate", "prior_strength = 0"));
    MetricRows metrics = new MetricRows()
        .add("a", "sla_rate", 0.9).add("b", "sla_rate", 0.5)
        .add("a", "sla_rate", 0.4, "period_start", java.sql.Date.valueOf("2026-10-01"))
        .add("b", "sla_rate", 0.6, "period_start", java.sql.Date.valueOf("2026-10-01"));
    List<Row> rows = Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList();
    Row octoberA = rows.stream().filter(r -> r.getAs("consultant_id").equals("a")
        && r.getAs("period_start").toString().equals("2026-10-01")).findFirst().orElseThrow();
    assertEquals(100.0, number(octoberA, "previous_composite"), 1e-9);
    assertEquals(-100.0, number(octoberA, "composite_change"), 1e-9);
  }

  private static Map<String, Row> scoreAll(ScoringConfig rules, MetricRows metrics) {
    return byConsultant(Scoring.run(metrics.toDataset(), rules, "month", null).collectAsList());
  }

  @Test
  void zscoreIsPhiOfStandardizedValue() throws Exception {
    ScoringConfig rules = rules(singleMetric("nps", "normalization = zscore, prior_strength = 0"));
    // Values 2, 4, 4, 4, 5, 5, 7, 9: mean 40 / 8 = 5, squared deviations 9+1+1+1+0+0+4+16 = 32,
    // population variance 32 / 8 = 4, deviation 2. The ineligible row (29 sessions) with 100
    // is not part of the peer statistics. Phi values from the C library's erfc.
    MetricRows metrics = new MetricRows();
    double[] values = {2, 4, 4, 4, 5, 5, 7, 9};
    for (int i = 0; i < values.length; i++) {
      metrics.add("p" + i, "nps", values[i]);
    }
    metrics.add("newcomer", "nps", 100.0, "sessions", 29L);
    Map<String, Row> scores = scoreAll(rules, metrics);
    assertEquals(6.680720126885809, number(scores.get("p0"), "nps_score"), 1e-9, "z = -1.5");
    assertEquals(30.85375387259869, number(scores.get("p1"), "nps_score"), 1e-9, "z = -0.5");
    assertEquals(50.0, number(scores.get("p4"), "nps_score"), 1e-9, "z = 0");
    assertEquals(84.1344746068543, number(scores.get("p6"), "nps_score"), 1e-9, "z = 1");
    assertEquals(97.72498680518208, number(scores.get("p7"), "nps_score"), 1e-9, "z = 2");
    assertNull(scores.get("newcomer").getAs("nps_score"), "ineligible rows are not normalized");
  }

  @Test
  void zscoreClipsAtThreeAndReversesLowerIsBetter() throws Exception {
    ScoringConfig rules = rules(singleMetric("frt_median_s", "normalization = zscore"));
    // Fifteen people at 10 s and one at 26 s: mean 11, deviations -1 (x15) and 15, variance
    // (15 + 225) / 16 = 15. The slow one has z = 15 / sqrt 15 = 3.873, clipped to 3 and
    // reversed (lower is better): 100 * Phi(-3). The others: z = -1 / sqrt 15, reversed
    // +0.2581988897471611: 100 * Phi(0.2582) = 60.18732926311803.
    MetricRows metrics = new MetricRows();
    for (int i = 0; i < 15; i++) {
      metrics.add("fast" + i, "frt_median_s", 10.0);
    }
    metrics.add("slow", "frt_median_s", 26.0);
    Map<String, Row> scores = scoreAll(rules, metrics);
    assertEquals(0.13498980316300957, number(scores.get("slow"), "frt_median_s_score"), 1e-9);
    assertEquals(100 - 39.81267073688197, number(scores.get("fast3"), "frt_median_s_score"), 1e-9);
  }

  @Test
  void zscoreOfConstantGroupIsFifty() throws Exception {
    ScoringConfig rules = rules(singleMetric("nps", "normalization = zscore, prior_strength = 0"));
    Map<String, Row> scores = scoreAll(rules, new MetricRows().add("a", "nps", 30.0).add("b", "nps", 30.0));
    assertEquals(50.0, number(scores.get("a"), "nps_score"), 1e-12);
    Row alone = Scoring.run(new MetricRows().add("alone", "nps", 10.0).toDataset(), rules, "month", null).first();
    assertEquals(50.0, number(alone, "nps_score"), 1e-12, "one person: deviation 0");
  }

  @Test
  void minmaxClipsToNearestRankPercentiles() throws Exception {
    ScoringConfig rules = rules(singleMetric("nps", "normalization = minmax, prior_strength = 0"));
    // 21 people with 1..21: p5 is the value at rank ceil(0.05 * 21) = 2, so lo = 2; p95 at
    // rank ceil(0.95 * 21) = 20, so hi = 20; range 18. 1 clips to 2 (score 0), 21 clips to 20
    // (100), 11 scores 100 * 9 / 18 = 50 and 5 scores 100 * 3 / 18 = 16.667.
    MetricRows metrics = new MetricRows();
    for (int i = 1; i <= 21; i++) {
      metrics.add("p" + i, "nps", (double) i);
    }
    Map<String, Row> scores = scoreAll(rules, metrics);
    assertEquals(0.0, number(scores.get("p1"), "nps_score"), 1e-9);
    assertEquals(0.0, number(scores.get("p2"), "nps_score"), 1e-9);
    assertEquals(100.0 * 3 / 18, number(scores.get("p5"), "nps_score"), 1e-9);
    assertEquals(50.0, number(scores.get("p11"), "nps_score"), 1e-9);
    assertEquals(100.0, number(scores.get("p20"), "nps_score"), 1e-9);
    assertEquals(100.0, number(scores.get("p21"), "nps_score"), 1e-9);
  }

  @Test
  void minmaxLowerIsBetterAndEqualBoundsGiveFifty() throws Exception {
    ScoringConfig rules = rules(singleMetric("frt_median_s", "normalization = minmax"));
    // 20 people with 10, 20, ..., 200 s: lo at rank ceil(0.05 * 20) = 1 is 10, hi at rank
    // ceil(0.95 * 20) = 19 is 190. Lower is better: 100 * (190 - x) / 180, so 100 s scores 50,
    // 10 s scores 100 and 200 s (clipped to 190) scores 0.
    MetricRows metrics = new MetricRows();
    for (int i = 1; i <= 20; i++) {
      metrics.add("p" + i, "frt_median_s", 10.0 * i);
    }
    Map<String, Row> scores = scoreAll(rules, metrics);
    assertEquals(100.0, number(scores.get("p1"), "frt_median_s_score"), 1e-9);
    assertEquals(50.0, number(scores.get("p10"), "frt_median_s_score"), 1e-9);
    assertEquals(0.0, number(scores.get("p20"), "frt_median_s_score"), 1e-9);
    Map<String, Row> equal = scoreAll(rules, new MetricRows().add("a", "frt_median_s", 30.0).add("b", "frt_median_s", 30.0));
    assertEquals(50.0, number(equal.get("a"), "frt_median_s_score"), 1e-12, "hi = lo");
  }

  @Test
  void targetScoresBetweenFloorAndTargetInEitherDirection() throws Exception {
    ScoringConfig rules = rules("rules_version = \"t\"\npeer_group = []\n"
        + "dimensions { responsiveness.weight = 0.5, satisfaction.weight = 0.5 }\n"
        + "metrics {\n"
        + "  frt_median_s { dimension = responsiveness, normalization = target, floor = 120, target = 30 }\n"
        + "  csat_mean { dimension = satisfaction, normalization = target, floor = 3, target = 5, prior_strength = 0 }\n"
        + "}\n");
    MetricRows metrics = new MetricRows()
        .add("a", "frt_median_s", 60.0, "csat_mean", 4.5)
        .add("b", "frt_median_s", 20.0, "csat_mean", 2.0)
        .add("c", "frt_median_s", 200.0, "csat_mean", 5.5);
    Map<String, Row> scores = scoreAll(rules, metrics);
    // frt: (60 - 120) / (30 - 120) = 2/3; 20 s is past the target (100); 200 s below the floor (0).
    assertEquals(200.0 / 3, number(scores.get("a"), "frt_median_s_score"), 1e-9);
    assertEquals(100.0, number(scores.get("b"), "frt_median_s_score"), 1e-9);
    assertEquals(0.0, number(scores.get("c"), "frt_median_s_score"), 1e-9);
    // csat: (4.5 - 3) / (5 - 3) = 0.75; 2.0 clamps to 0; 5.5 clamps to 100.
    assertEquals(75.0, number(scores.get("a"), "csat_mean_score"), 1e-9);
    assertEquals(0.0, number(scores.get("b"), "csat_mean_score"), 1e-9);
    assertEquals(100.0, number(scores.get("c"), "csat_mean_score"), 1e-9);
    assertEquals((200.0 / 3 + 75.0) / 2, number(scores.get("a"), "composite"), 1e-9);
  }

  @Test
  void normalCdfMatchesReferenceValues() {
    // Reference: 0.5 * erfc(-z / sqrt 2) from the C library (Python's math.erfc).
    double[][] reference = {
        {-3, 0.0013498980316300957}, {-1.5, 0.06680720126885809}, {-1, 0.15865525393145707},
        {0, 0.5}, {0.5, 0.6914624612740131}, {1, 0.8413447460685429}, {2, 0.9772498680518208},
        {3, 0.9986501019683699}};
    List<org.apache.spark.sql.Row> zs = new java.util.ArrayList<>();
    for (double[] pair : reference) {
      zs.add(org.apache.spark.sql.RowFactory.create(pair[0]));
      assertEquals(pair[1], NormalCdf.of(pair[0]), 1e-15, "driver-side Phi(" + pair[0] + ")");
    }
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("z", org.apache.spark.sql.types.DataTypes.DoubleType);
    List<Row> phi = org.consultscore.SparkTestSession.spark().createDataFrame(zs, schema)
        .select(org.apache.spark.sql.functions.col("z"), NormalCdf.of(org.apache.spark.sql.functions.col("z")).as("phi"))
        .collectAsList();
    for (Row row : phi) {
      double z = row.getDouble(0);
      double expected = java.util.Arrays.stream(reference).filter(p -> p[0] == z).findFirst().orElseThrow()[1];
      assertEquals(expected, row.getDouble(1), 1e-15, "Phi(" + z + ")");
    }
  }
}
