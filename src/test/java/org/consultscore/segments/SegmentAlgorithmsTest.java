package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.consultscore.SparkTestSession;
import org.consultscore.config.ConsultScoreException;
import org.consultscore.config.ScoringConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each clustering algorithm finds three planted profiles and gives the same segments twice. */
class SegmentAlgorithmsTest {
  private static final LocalDate PERIOD = LocalDate.of(2026, 9, 1);
  private static final double[][] CENTERS = {{90, 50, 20}, {20, 60, 90}, {15, 15, 15}};

  @TempDir
  static Path dir;

  private static Segments.Result segment(ScoringConfig rules) {
    return Segments.run(SparkTestSession.spark(), SegmentFixtures.scores(SegmentFixtures.planted(PERIOD, 7, CENTERS)),
        rules, "month", List.of(PERIOD));
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void silhouetteFindsPlantedProfiles(String algorithm) throws Exception {
    ScoringConfig rules = SegmentFixtures.rules(dir, "segments { algorithm = " + algorithm + ", k_min = 2, k_max = 4 }");
    Segments.Result first = segment(rules);
    Segments.Result second = segment(rules);

    List<Row> firstMembers = first.members().orderBy("consultant_id").collectAsList();
    assertEquals(firstMembers, second.members().orderBy("consultant_id").collectAsList(),
        algorithm + ": same input gives the same members");
    assertEquals(first.profiles().orderBy("segment_id").collectAsList(),
        second.profiles().orderBy("segment_id").collectAsList(), algorithm + ": same input gives the same profiles");

    Map<String, Integer> segmentOf = new HashMap<>();
    firstMembers.forEach(r -> segmentOf.put(r.getAs("consultant_id"), r.getAs("segment_id")));
    for (int p = 0; p < CENTERS.length; p++) {
      for (int i = 1; i < 12; i++) {
        assertEquals(segmentOf.get("p" + p + "-0"), segmentOf.get("p" + p + "-" + i),
            algorithm + ": profile " + p + " stays together");
      }
    }
    assertEquals(3, first.profiles().count(), algorithm + ": silhouette picks k = 3");
    Row profile = first.profiles().first();
    assertEquals(algorithm, profile.getAs("algorithm"), "profiles record the algorithm");
    assertTrue(first.notes().get(PERIOD).contains(algorithm), first.notes().get(PERIOD));
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void fixedKIsUsed(String algorithm) throws Exception {
    ScoringConfig rules = SegmentFixtures.rules(dir, "segments { algorithm = " + algorithm + ", k = 2 }");
    Segments.Result result = segment(rules);
    assertEquals(2, result.profiles().first().<Integer>getAs("k"), algorithm + ": k = 2 as configured");
    assertEquals(2, result.profiles().count(), algorithm + ": two segments");
  }

  @Test
  void restartSeedsAreDerivedFromSeed() {
    assertEquals(20261204L, Clusterer.restartSeed(20261204L, 0), "restart 0 uses the configured seed");
    Set<Long> seeds = new HashSet<>();
    for (int restart = 0; restart < 10; restart++) {
      seeds.add(Clusterer.restartSeed(20261204L, restart));
      seeds.add(Clusterer.restartSeed(20261205L, restart));
    }
    assertEquals(20, seeds.size(), "ten restarts of two neighbouring seeds use twenty different seeds");
    assertEquals(Clusterer.restartSeed(7L, 3), Clusterer.restartSeed(7L, 3), "the same seed and restart");
  }

  @Test
  void zeroRestartsIsRejected() {
    ConsultScoreException error = assertThrows(ConsultScoreException.class,
        () -> SegmentFixtures.rules(dir, "segments { restarts = 0 }"));
    assertTrue(error.getMessage().contains("segments.restarts"), error.getMessage());
  }
}
