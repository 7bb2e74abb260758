package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.consultscore.SparkTestSession;
import org.consultscore.config.ScoringConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Periods that cannot be clustered give a note and no segments, whatever the algorithm. */
class DegeneratePeriodsTest {
  private static final LocalDate PERIOD = LocalDate.of(2026, 9, 1);

  @TempDir
  static Path dir;

  private static Row person(String id, Double composite, Double responsiveness, Double resolution,
      Double satisfaction) {
    return SegmentFixtures.person(PERIOD, id, composite, responsiveness, resolution, satisfaction);
  }

  /** Runs the stage on {@code rows}, checks that nothing was clustered and returns the note. */
  private static String note(String algorithm, List<Row> rows) throws Exception {
    ScoringConfig rules = SegmentFixtures.rules(dir, "segments { algorithm = " + algorithm + ", k_min = 2, k_max = 3 }");
    Segments.Result result = Segments.run(SparkTestSession.spark(), SegmentFixtures.scores(rows), rules, "month",
        List.of(PERIOD));
    assertEquals(0, result.members().count(), algorithm + ": no members");
    assertEquals(0, result.profiles().count(), algorithm + ": no profiles");
    assertEquals(0, result.transitions().count(), algorithm + ": no transitions");
    return result.notes().get(PERIOD);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void noScoredPerson(String algorithm) throws Exception {
    String note = note(algorithm, List.of(person("unscored", null, 10.0, null, null)));
    assertTrue(note.contains("no scored consultant"), note);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void onePerson(String algorithm) throws Exception {
    String note = note(algorithm, List.of(person("solo", 50.0, 10.0, 20.0, 30.0)));
    assertTrue(note.startsWith("not clustered: 1 scored"), note);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void fewerPeopleThanMinimumK(String algorithm) throws Exception {
    String note = note(algorithm, List.of(person("a", 50.0, 10.0, 20.0, 30.0), person("b", 60.0, 30.0, 20.0, 10.0)));
    assertTrue(note.startsWith("not clustered: 2 scored consultants"), note);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void identicalRows(String algorithm) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(person("same" + i, 50.0, 40.0, 50.0, 60.0));
    }
    String note = note(algorithm, rows);
    assertTrue(note.contains("identical"), note);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kmeans", "bisecting_kmeans", "gmm"})
  void twoDistinctProfiles(String algorithm) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      rows.add(i % 2 == 0 ? person("even" + i, 50.0, 40.0, 50.0, 60.0) : person("odd" + i, 40.0, 60.0, 30.0, 30.0));
    }
    String note = note(algorithm, rows);
    assertTrue(note.contains("only 2 distinct profiles"), note);
  }
}
