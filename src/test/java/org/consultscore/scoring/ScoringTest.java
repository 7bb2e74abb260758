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
}
