package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.ScoringConfig;
import org.consultscore.config.ScoringConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments on planted profiles and on periods too small or too uniform to cluster. */
class SegmentsTest {
  private static final LocalDate PERIOD = LocalDate.of(2026, 9, 1);
  private static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("period_start", DataTypes.DateType, false),
      DataTypes.createStructField("consultant_id", DataTypes.StringType, false),
      DataTypes.createStructField("business_line", DataTypes.StringType, false),
      DataTypes.createStructField("composite", DataTypes.DoubleType, true),
      DataTypes.createStructField("responsiveness_score", DataTypes.DoubleType, true),
      DataTypes.createStructField("resolution_score", DataTypes.DoubleType, true),
      DataTypes.createStructField("satisfaction_score", DataTypes.DoubleType, true)});

  @TempDir
  static Path dir;

  private static ScoringConfig rules;

  @BeforeAll
  static void loadRules() throws Exception {
    Path file = dir.resolve("scoring.conf");
    Files.writeString(file, TestProject.defaultScoring(30).replace("segments { k_min = 2, k_max = 3 }",
        "segments { k_min = 2, k_max = 5 }"));
    rules = ScoringConfigLoader.load(file);
  }

  private static Row person(String id, Double composite, Double responsiveness, Double resolution, Double satisfaction) {
    return RowFactory.create(Date.valueOf(PERIOD), id, "edu", composite, responsiveness, resolution, satisfaction);
  }

  private static Dataset<Row> scores(List<Row> rows) {
    return SparkTestSession.spark().createDataFrame(rows, SCHEMA);
  }

  private static Segments.Result segment(List<Row> rows) {
    return Segments.run(SparkTestSession.spark(), scores(rows), rules, "month", List.of(PERIOD));
  }

  /** Three planted profiles: fast but unsatisfying, slow but satisfying, weak everywhere. */
  private static List<Row> plantedProfiles() {
    Random random = new Random(7);
    double[][] centers = {{90, 50, 20}, {20, 60, 90}, {15, 15, 15}};
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < centers.length; p++) {
      for (int i = 0; i < 12; i++) {
        double r = centers[p][0] + random.nextGaussian() * 3;
        double s = centers[p][1] + random.nextGaussian() * 3;
        double t = centers[p][2] + random.nextGaussian() * 3;
        rows.add(person("p" + p + "-" + i, (r + s + t) / 3, r, s, t));
      }
    }
    return rows;
  }

  @Test
  void plantedProfilesAreFound() {
    Segments.Result result = segment(plantedProfiles());
    Map<String, Integer> segmentOf = new HashMap<>();
    result.members().collectAsList().forEach(r -> segmentOf.put(r.getAs("consultant_id"), r.getAs("segment_id")));
    assertEquals(36, segmentOf.size(), "every scored consultant gets a segment");
    for (int p = 0; p < 3; p++) {
      int expected = segmentOf.get("p" + p + "-0");
      for (int i = 1; i < 12; i++) {
        assertEquals(expected, segmentOf.get("p" + p + "-" + i), "profile " + p + " stays together");
      }
    }
    assertEquals(3, result.profiles().count(), "silhouette picks k = 3");
    assertTrue(result.notes().get(PERIOD).startsWith("clustered 36"), result.notes().get(PERIOD));
  }

  @Test
  void labelsDescribeCentroids() {
    List<Row> profiles = segment(plantedProfiles()).profiles().orderBy("segment_id").collectAsList();
    List<String> labels = profiles.stream().map(r -> r.<String>getAs("segment_label_en")).toList();
    assertTrue(labels.contains("fast response, low satisfaction"), labels.toString());
    assertTrue(profiles.stream().anyMatch(r -> r.<String>getAs("segment_label_zh").equals("响应快、满意度低")),
        "Chinese label of the same segment");
    assertEquals(1, profiles.get(0).<Integer>getAs("segment_id"));
    assertTrue(profiles.get(0).<Double>getAs("composite_mean") >= profiles.get(2).<Double>getAs("composite_mean"),
        "segment 1 has the highest mean composite");
    double shares = profiles.stream().mapToDouble(r -> r.<Double>getAs("share")).sum();
    assertEquals(1.0, shares, 1e-9, "shares add up to 1");
  }

  @Test
  void sameInputGivesSameSegments() {
    List<Row> first = segment(plantedProfiles()).members().orderBy("consultant_id").collectAsList();
    List<Row> second = segment(plantedProfiles()).members().orderBy("consultant_id").collectAsList();
    assertEquals(first, second);
  }

  @Test
  void missingDimensionIsFilledAndFlagged() {
    List<Row> rows = new ArrayList<>(plantedProfiles());
    rows.add(person("gap", 50.0, 88.0, 52.0, null));
    Row gap = segment(rows).members().filter("consultant_id = 'gap'").first();
    assertEquals(true, gap.getAs("imputed_dimensions"));
  }

  @Test
  void fewerPeopleThanSegmentsIsNotClustered() {
    Segments.Result result = segment(List.of(person("a", 50.0, 10.0, 20.0, 30.0), person("b", 60.0, 30.0, 20.0, 10.0)));
    assertEquals(0, result.members().count());
    assertTrue(result.notes().get(PERIOD).startsWith("not clustered: 2 scored consultants"), result.notes().get(PERIOD));
  }

  @Test
  void onePersonIsNotClustered() {
    Segments.Result result = segment(List.of(person("solo", 50.0, 10.0, 20.0, 30.0)));
    assertEquals(0, result.profiles().count());
    assertTrue(result.notes().get(PERIOD).startsWith("not clustered: 1 scored"), result.notes().get(PERIOD));
  }

  @Test
  void identicalRowsAreNotClustered() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(person("same" + i, 50.0, 40.0, 50.0, 60.0));
    }
    Segments.Result result = segment(rows);
    assertEquals(0, result.members().count());
    assertTrue(result.notes().get(PERIOD).contains("identical"), result.notes().get(PERIOD));
  }

  @Test
  void periodWithoutScoredPeopleIsNotClustered() {
    Segments.Result result = segment(List.of(person("unscored", null, 10.0, null, null)));
    assertTrue(result.notes().get(PERIOD).contains("no scored consultant"), result.notes().get(PERIOD));
  }
}
