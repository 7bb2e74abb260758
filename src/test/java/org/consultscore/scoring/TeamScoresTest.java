package org.consultscore.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.consultscore.config.MetricCatalog;
import org.consultscore.config.ScoringConfig;
import org.consultscore.config.ScoringConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * team_scores and metric_catalog. One metric (sla_rate) scored by target between 0 and 1, so
 * a person's composite is 100 times their SLA rate, and grades by thresholds S 90, A 75,
 * B 50, C 25.
 */
class TeamScoresTest {
  @TempDir
  static Path dir;

  private static ScoringConfig rules;
  private static Dataset<Row> scores;

  @BeforeAll
  static void score() throws Exception {
    Path file = dir.resolve("scoring.conf");
    Files.writeString(file, "rules_version = \"team\"\npeer_group = []\n"
        + "dimensions { responsiveness.weight = 1 }\n"
        + "metrics { sla_rate { dimension = responsiveness, normalization = target, floor = 0, target = 1,"
        + " prior_strength = 0 } }\n"
        + "grades.method = thresholds\n");
    rules = ScoringConfigLoader.load(file);
    MetricRows metrics = new MetricRows();
    // T1, September: composites 10, 20, ..., 100; one newcomer (10 sessions, not eligible)
    // and one eligible person without an SLA rate (no composite).
    for (int i = 1; i <= 10; i++) {
      metrics.add("t1-" + i, "sla_rate", i / 10.0);
    }
    metrics.add("t1-new", "sla_rate", 1.0, "sessions", 10L).add("t1-none");
    // T2, September: 40, 60, 80; October: 50, 90. No team, October: 30.
    metrics.add("t2-a", "team_id", "T2", "sla_rate", 0.4).add("t2-b", "team_id", "T2", "sla_rate", 0.6)
        .add("t2-c", "team_id", "T2", "sla_rate", 0.8);
    Date october = Date.valueOf("2026-10-01");
    metrics.add("t2-a", "team_id", "T2", "sla_rate", 0.5, "period_start", october)
        .add("t2-b", "team_id", "T2", "sla_rate", 0.9, "period_start", october)
        .add("loner", "team_id", null, "sla_rate", 0.3, "period_start", october);
    scores = Scoring.run(metrics.toDataset(), rules, "month", null);
  }

  private static Row team(List<Row> rows, String team, String period) {
    return rows.stream()
        .filter(r -> java.util.Objects.equals(r.getAs("team_id"), team) && r.getAs("period_start").toString().equals(period))
        .findFirst().orElseThrow(() -> new AssertionError("no row for team " + team + " " + period));
  }

  private static double number(Row row, String column) {
    return row.<Number>getAs(column).doubleValue();
  }

  @Test
  void teamStatisticsByNearestRank() {
    List<Row> rows = TeamScores.of(scores, "month", null).collectAsList();
    assertEquals(4, rows.size(), "T1 and T2 in September, T2 and no team in October");
    Row t1 = team(rows, "T1", "2026-09-01");
    assertEquals(12L, t1.<Long>getAs("people"));
    assertEquals(11L, t1.<Long>getAs("eligible_people"));
    assertEquals(10L, t1.<Long>getAs("scored_people"));
    assertEquals(55.0, number(t1, "composite_mean"), 1e-9);
    // n = 10: p10 at rank ceil(1) = 1, median at rank ceil(5) = 5, p90 at rank ceil(9) = 9.
    assertEquals(10.0, number(t1, "composite_p10"), 1e-9);
    assertEquals(50.0, number(t1, "composite_median"), 1e-9);
    assertEquals(90.0, number(t1, "composite_p90"), 1e-9);
    // S: 90, 100; A: 80; B: 50, 60, 70; C: 30, 40; D: 10, 20.
    assertEquals(List.of(2L, 1L, 3L, 2L, 2L), ScoringConfig.GRADES.stream()
        .map(g -> t1.<Long>getAs(TeamScores.gradeCount(g))).toList());
    assertEquals(55.0, number(t1, "responsiveness_mean"), 1e-9);
    assertNull(t1.getAs("satisfaction_mean"), "satisfaction is not scored");
    assertNull(t1.getAs("composite_mean_change"), "no August in the run or published");

    Row t2 = team(rows, "T2", "2026-09-01");
    // n = 3: p10 at rank ceil(0.3) = 1, median at rank ceil(1.5) = 2, p90 at rank ceil(2.7) = 3.
    assertEquals(40.0, number(t2, "composite_p10"), 1e-9);
    assertEquals(60.0, number(t2, "composite_median"), 1e-9);
    assertEquals(80.0, number(t2, "composite_p90"), 1e-9);
    Row t2October = team(rows, "T2", "2026-10-01");
    assertEquals(70.0, number(t2October, "composite_mean"), 1e-9);
    assertEquals(60.0, number(t2October, "previous_composite_mean"), 1e-9);
    assertEquals(10.0, number(t2October, "composite_mean_change"), 1e-9);
    // n = 2: the median is the lower middle value.
    assertEquals(50.0, number(t2October, "composite_median"), 1e-9);
    assertEquals(30.0, number(team(rows, null, "2026-10-01"), "composite_mean"), 1e-9);
  }

  @Test
  void changeReadsThePublishedPreviousPeriod() {
    Dataset<Row> october = scores.filter("period_start = DATE'2026-10-01'");
    StructType schema = new StructType().add("team_id", DataTypes.StringType).add("period_start", DataTypes.DateType)
        .add("composite_mean", DataTypes.DoubleType);
    Dataset<Row> published = SparkTestSession.spark().createDataFrame(List.of(
        RowFactory.create("T2", Date.valueOf("2026-09-01"), 65.0),
        RowFactory.create("T2", Date.valueOf("2026-10-01"), 10.0),
        RowFactory.create(null, Date.valueOf("2026-09-01"), 20.0)), schema);
    List<Row> rows = TeamScores.of(october, "month", published).collectAsList();
    assertEquals(5.0, number(team(rows, "T2", "2026-10-01"), "composite_mean_change"), 1e-9);
    assertEquals(10.0, number(team(rows, null, "2026-10-01"), "composite_mean_change"), 1e-9,
        "people without a team compare with the published no-team row");
  }

  @Test
  void metricCatalogDescribesEveryMetric() {
    List<Row> rows = MetricCatalogTable.of(SparkTestSession.spark(), rules, "month", LocalDate.of(2026, 10, 1))
        .collectAsList();
    assertEquals(MetricCatalog.all().size(), rows.size());
    Row sla = rows.stream().filter(r -> r.getAs("name").equals("sla_rate")).findFirst().orElseThrow();
    assertEquals("responsiveness", sla.getAs("dimension"));
    assertEquals("target", sla.getAs("normalization"));
    assertEquals(1.0, sla.<Double>getAs("target"));
    assertEquals("ratio", sla.getAs("unit"));
    assertEquals(MetricCatalog.get("sla_rate").descriptionZh(), sla.getAs("description_zh"));
    Row frt = rows.stream().filter(r -> r.getAs("name").equals("frt_median_s")).findFirst().orElseThrow();
    assertNull(frt.getAs("dimension"), "not scored by these rules");
    assertNull(frt.getAs("normalization"));
    assertEquals("lower", frt.getAs("direction"), "the natural direction");
    assertEquals(Date.valueOf("2026-10-01"), frt.getAs("period_start"));
  }
}
