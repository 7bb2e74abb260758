package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.consultscore.SparkTestSession;
import org.consultscore.config.ConsultScoreException;
import org.consultscore.config.ScoringConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment ids that follow the same profile from one period to the next, and the transitions. */
class SegmentIdsTest {
  private static final LocalDate AUGUST = LocalDate.of(2026, 8, 1);
  private static final LocalDate SEPTEMBER = LocalDate.of(2026, 9, 1);
  private static final double[][] THREE = {{90, 50, 20}, {20, 60, 90}, {15, 15, 15}};
  /** The same three profiles plus a star, whose mean composite is the best of all. */
  private static final double[][] FOUR = {{90, 50, 20}, {20, 60, 90}, {15, 15, 15}, {95, 95, 95}};

  @TempDir
  static Path dir;

  private static ScoringConfig rules;

  @BeforeAll
  static void loadRules() throws Exception {
    rules = SegmentFixtures.rules(dir, "segments { k_min = 3, k_max = 4 }");
  }

  private static Map<String, Integer> segmentOf(Segments.Result result, LocalDate period) {
    Map<String, Integer> segments = new HashMap<>();
    result.members().filter("period_start = '" + period + "'").collectAsList()
        .forEach(r -> segments.put(r.getAs("consultant_id"), r.getAs("segment_id")));
    return segments;
  }

  /** Returns the people count of the transition row (from, to) of {@code period}, or 0. */
  private static long moved(Segments.Result result, LocalDate period, Integer from, Integer to) {
    String fromCondition = from == null ? "from_segment_id IS NULL" : "from_segment_id = " + from;
    String toCondition = to == null ? "to_segment_id IS NULL" : "to_segment_id = " + to;
    List<Row> rows = result.transitions()
        .filter("period_start = '" + period + "' AND " + fromCondition + " AND " + toCondition)
        .collectAsList();
    return rows.isEmpty() ? 0 : rows.get(0).<Long>getAs("people");
  }

  @Test
  void idsFollowProfilesWithinRun() {
    List<Row> rows = new ArrayList<>(SegmentFixtures.planted(AUGUST, 7, THREE));
    rows.addAll(SegmentFixtures.planted(SEPTEMBER, 8, FOUR));
    // Given newest first, to check the stage still anchors September on August.
    Segments.Result result = Segments.run(SparkTestSession.spark(), SegmentFixtures.scores(rows), rules, "month",
        List.of(SEPTEMBER, AUGUST));

    Map<String, Integer> august = segmentOf(result, AUGUST);
    Map<String, Integer> september = segmentOf(result, SEPTEMBER);
    for (int p = 0; p < THREE.length; p++) {
      assertEquals(august.get("p" + p + "-0"), september.get("p" + p + "-0"), "profile " + p + " keeps its id");
    }
    assertEquals(4, september.get("p3-0"), "the new star profile gets the next unused id");
    assertTrue(result.notes().get(SEPTEMBER).contains("3 of 4 segment ids kept from 2026-08-01"),
        result.notes().get(SEPTEMBER));

    int star = september.get("p3-0");
    assertEquals(12, moved(result, SEPTEMBER, null, star), "the star profile enters from no segment");
    int weak = august.get("p2-0");
    assertEquals(12, moved(result, SEPTEMBER, weak, weak), "the weak profile stays in its segment");
    assertEquals(0, result.transitions().filter("period_start = '" + AUGUST + "'").count(),
        "the first period ever has no transitions");
  }

  @Test
  void publishedPeriodAnchorsNextRun() {
    Segments.Result august = Segments.run(SparkTestSession.spark(),
        SegmentFixtures.scores(SegmentFixtures.planted(AUGUST, 7, THREE)), rules, "month", List.of(AUGUST));

    List<Row> rows = new ArrayList<>(SegmentFixtures.planted(SEPTEMBER, 8, THREE));
    rows.removeIf(r -> r.getString(1).equals("p0-0") || r.getString(1).equals("p0-1"));
    Segments.Result september = Segments.run(SparkTestSession.spark(), SegmentFixtures.scores(rows), rules, "month",
        List.of(SEPTEMBER), august.profiles(), august.members());

    Map<String, Integer> before = segmentOf(august, AUGUST);
    Map<String, Integer> after = segmentOf(september, SEPTEMBER);
    for (int p = 0; p < THREE.length; p++) {
      assertEquals(before.get("p" + p + "-5"), after.get("p" + p + "-5"), "profile " + p + " keeps its published id");
    }
    int first = before.get("p0-0");
    assertEquals(2, moved(september, SEPTEMBER, first, null), "two people leave scoring");
    assertEquals(10, moved(september, SEPTEMBER, first, first), "ten people stay");
    Row any = september.transitions().first();
    assertEquals(java.sql.Date.valueOf(AUGUST), any.getAs("previous_period_start"), "previous period is August");
  }

  @Test
  void farCentroidGetsNewId() throws Exception {
    ScoringConfig threeSegments = SegmentFixtures.rules(dir, "segments { k = 3 }");
    double[][] moved = {{90, 50, 20}, {20, 60, 90}, {60, 60, 60}};
    List<Row> rows = new ArrayList<>(SegmentFixtures.planted(AUGUST, 7, THREE));
    rows.addAll(SegmentFixtures.planted(SEPTEMBER, 8, moved));
    Segments.Result result = Segments.run(SparkTestSession.spark(), SegmentFixtures.scores(rows), threeSegments,
        "month", List.of(AUGUST, SEPTEMBER));

    Map<String, Integer> august = segmentOf(result, AUGUST);
    Map<String, Integer> september = segmentOf(result, SEPTEMBER);
    assertEquals(august.get("p0-0"), september.get("p0-0"), "an unchanged profile keeps its id");
    assertEquals(4, september.get("p2-0"), "a profile 78 points away is new");
    assertEquals(12, moved(result, SEPTEMBER, august.get("p2-0"), 4), "its people move to the new id");
  }

  @Test
  void zeroMatchDistanceIsRejected() {
    ConsultScoreException error = assertThrows(ConsultScoreException.class,
        () -> SegmentFixtures.rules(dir, "segments { match_max_distance = 0 }"));
    assertTrue(error.getMessage().contains("segments.match_max_distance"), error.getMessage());
  }
}
