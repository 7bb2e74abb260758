package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.consultscore.config.ScoringConfig;
import org.consultscore.config.ScoringConfigLoader;
import org.consultscore.generate.PlantedProfiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Five planted profiles among 500 consultants over two periods, from two generator seeds. Every
 * algorithm recovers them (adjusted Rand index at least 0.8) and keeps each profile's segment id
 * and label. People whose profile stayed keep their segment id, except people who lie between
 * two profiles and are in another profile's segment in one of the periods.
 */
class PlantedSegmentsTest {
  private static final LocalDate AUGUST = LocalDate.of(2026, 8, 1);
  private static final LocalDate SEPTEMBER = LocalDate.of(2026, 9, 1);
  private static final int CONSULTANTS = 500;
  /** Every 25th consultant changes profile in September: 20 people. */
  private static final int CHANGE_EVERY = 25;
  /** The scored dimensions, because this version has no business, quality or collaboration metric. */
  private static final List<String> DIMENSIONS = List.of("responsiveness", "resolution", "satisfaction", "efficiency");
  private static final String RULES = "rules_version = \"planted-1\"\n"
      + "eligibility.min_sessions = 30\n"
      + "peer_group = []\n"
      + "dimensions { responsiveness.weight = 0.25, resolution.weight = 0.25, satisfaction.weight = 0.25,"
      + " efficiency.weight = 0.25 }\n"
      + "metrics {\n"
      + "  frt_median_s { dimension = responsiveness, weight = 1, direction = lower }\n"
      + "  resolution_rate { dimension = resolution, weight = 1, prior_strength = 0 }\n"
      + "  csat_mean { dimension = satisfaction, weight = 1, prior_strength = 0 }\n"
      + "  aht_median_s { dimension = efficiency, weight = 1, direction = lower }\n"
      + "}\n";

  @TempDir
  static Path dir;

  private static StructType schema() {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("period_start", DataTypes.DateType, false),
        DataTypes.createStructField("consultant_id", DataTypes.StringType, false),
        DataTypes.createStructField("composite", DataTypes.DoubleType, true)));
    DIMENSIONS.forEach(d -> fields.add(DataTypes.createStructField(d + "_score", DataTypes.DoubleType, true)));
    return new StructType(fields.toArray(new StructField[0]));
  }

  private static List<Row> rows(LocalDate period, List<PlantedProfiles.Consultant> consultants) {
    List<Row> rows = new ArrayList<>();
    for (PlantedProfiles.Consultant consultant : consultants) {
      List<Object> values = new ArrayList<>(List.of(Date.valueOf(period), consultant.id(), consultant.mean(DIMENSIONS)));
      DIMENSIONS.forEach(d -> values.add(consultant.scores().get(d)));
      rows.add(RowFactory.create(values.toArray()));
    }
    return rows;
  }

  private static Map<String, Integer> segmentOf(Segments.Result result, LocalDate period) {
    Map<String, Integer> segments = new HashMap<>();
    result.members().filter("period_start = '" + period + "'").select("consultant_id", "segment_id").collectAsList()
        .forEach(r -> segments.put(r.getString(0), r.getInt(1)));
    return segments;
  }

  private static long pairs(long n) {
    return n * (n - 1) / 2;
  }

  /**
   * Returns the adjusted Rand index of two labelings of the same items, from their contingency
   * table n_ij with row sums a_i and column sums b_j:
   * (sum C(n_ij, 2) - E) / ((sum C(a_i, 2) + sum C(b_j, 2)) / 2 - E), where
   * E = sum C(a_i, 2) * sum C(b_j, 2) / C(n, 2).
   */
  static double adjustedRandIndex(List<String> first, List<Integer> second) {
    Map<String, Map<Integer, Long>> table = new HashMap<>();
    Map<String, Long> rowSums = new HashMap<>();
    Map<Integer, Long> columnSums = new HashMap<>();
    for (int i = 0; i < first.size(); i++) {
      table.computeIfAbsent(first.get(i), k -> new HashMap<>()).merge(second.get(i), 1L, Long::sum);
      rowSums.merge(first.get(i), 1L, Long::sum);
      columnSums.merge(second.get(i), 1L, Long::sum);
    }
    double index = table.values().stream().flatMap(m -> m.values().stream()).mapToDouble(c -> pairs(c)).sum();
    double rows = rowSums.values().stream().mapToDouble(c -> pairs(c)).sum();
    double columns = columnSums.values().stream().mapToDouble(c -> pairs(c)).sum();
    double expected = rows * columns / pairs(first.size());
    double maximum = (rows + columns) / 2;
    return (index - expected) / (maximum - expected);
  }

  private static double adjustedRandIndex(List<PlantedProfiles.Consultant> consultants, Map<String, Integer> found) {
    List<String> planted = consultants.stream().map(c -> c.profile().name()).toList();
    List<Integer> segments = consultants.stream().map(c -> found.getOrDefault(c.id(), -1)).toList();
    return adjustedRandIndex(planted, segments);
  }

  @Test
  void adjustedRandIndexOfKnownCases() {
    List<String> planted = List.of("a", "a", "b", "b", "c", "c");
    assertEquals(1.0, adjustedRandIndex(planted, List.of(7, 7, 3, 3, 9, 9)), 1e-12, "relabelled copy gives 1");
    // Contingency table [[2, 0, 0], [0, 1, 1]]: index 1, expected 2 * 1 / 6, maximum 1.5, so 4 / 7.
    double value = adjustedRandIndex(List.of("a", "a", "b", "b"), List.of(1, 1, 2, 3));
    assertEquals(4.0 / 7, value, 1e-12, "formula on a 2x3 table");
    assertTrue(adjustedRandIndex(planted, List.of(1, 2, 1, 2, 1, 2)) < 0.1, "unrelated labels give about 0");
  }

  /**
   * Algorithm, PlantedProfiles seed and the number of people whose profile stayed but whose
   * segment id changed. With seed 2 one person lies between two profiles in August and is in the
   * other profile's segment then. For kmeans it is C0437 of FAST_UNSATISFYING, with August
   * scores of about 82, 40, 46 and 60, between that profile and AVERAGE. With seed 2 and a
   * single k-means start, k-means split STAR and merged FAST_UNSATISFYING with AVERAGE in August.
   */
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("kmeans", 42, 0),
        Arguments.of("bisecting_kmeans", 42, 0),
        Arguments.of("gmm", 42, 0),
        Arguments.of("kmeans", 2, 1),
        Arguments.of("bisecting_kmeans", 2, 1),
        Arguments.of("gmm", 2, 1));
  }

  @ParameterizedTest(name = "{0}, generator seed {1}")
  @MethodSource("cases")
  void plantedProfilesAreRecovered(String algorithm, long generatorSeed, int expectedMoves) throws Exception {
    Path file = Files.createTempFile(dir, "planted", ".conf");
    // A fixed k = 5 keeps the test to one k per period. SegmentAlgorithmsTest covers silhouette.
    Files.writeString(file, RULES + "segments { algorithm = " + algorithm + ", k = 5 }\n");
    ScoringConfig rules = ScoringConfigLoader.load(file);
    PlantedProfiles generator = new PlantedProfiles(generatorSeed, 8);
    List<PlantedProfiles.Consultant> august = generator.consultants(CONSULTANTS);
    List<PlantedProfiles.Consultant> september = generator.nextPeriod(august, CHANGE_EVERY);
    List<Row> rows = new ArrayList<>(rows(AUGUST, august));
    rows.addAll(rows(SEPTEMBER, september));
    String name = algorithm + ", generator seed " + generatorSeed;

    Segments.Result result = Segments.run(SparkTestSession.spark(),
        SparkTestSession.spark().createDataFrame(rows, schema()), rules, "month", List.of(AUGUST, SEPTEMBER));
    Map<String, Integer> augustSegments = segmentOf(result, AUGUST);
    Map<String, Integer> septemberSegments = segmentOf(result, SEPTEMBER);

    double augustIndex = adjustedRandIndex(august, augustSegments);
    double septemberIndex = adjustedRandIndex(september, septemberSegments);
    System.out.printf("%s: adjusted Rand index August %.4f, September %.4f%n", name, augustIndex, septemberIndex);
    assertTrue(augustIndex >= 0.8, name + ": August adjusted Rand index " + augustIndex);
    assertTrue(septemberIndex >= 0.8, name + ": September adjusted Rand index " + septemberIndex);

    Map<String, String> augustLabels = labelOf(result, AUGUST);
    Map<String, String> septemberLabels = labelOf(result, SEPTEMBER);
    Map<PlantedProfiles.Profile, Integer> augustMajority = new EnumMap<>(PlantedProfiles.Profile.class);
    Map<PlantedProfiles.Profile, Integer> septemberMajority = new EnumMap<>(PlantedProfiles.Profile.class);
    for (PlantedProfiles.Profile profile : PlantedProfiles.Profile.values()) {
      augustMajority.put(profile, majoritySegment(august, augustSegments, profile));
      septemberMajority.put(profile, majoritySegment(september, septemberSegments, profile));
      assertEquals(augustMajority.get(profile), septemberMajority.get(profile),
          name + ": segment id of most " + profile + " people in both periods");
      assertEquals(augustLabels.get(AUGUST + "/" + augustMajority.get(profile)),
          septemberLabels.get(SEPTEMBER + "/" + septemberMajority.get(profile)),
          name + ": label of the " + profile + " segment in both periods");
    }

    int moved = 0;
    int unchanged = 0;
    for (int i = 0; i < CONSULTANTS; i++) {
      PlantedProfiles.Profile profile = august.get(i).profile();
      if (profile != september.get(i).profile()) {
        continue;
      }
      unchanged++;
      String id = august.get(i).id();
      if (augustSegments.get(id).equals(septemberSegments.get(id))) {
        continue;
      }
      moved++;
      boolean outsideInOnePeriod = !augustSegments.get(id).equals(augustMajority.get(profile))
          || !septemberSegments.get(id).equals(septemberMajority.get(profile));
      assertTrue(outsideInOnePeriod, name + ": " + id + " (" + profile + ") is in its profile's segment in both"
          + " periods but changed segment id");
    }
    assertEquals(CONSULTANTS - CONSULTANTS / CHANGE_EVERY, unchanged, "people whose profile stayed");
    // Bisecting k-means that assigns by its split tree alone fails here with seed 42, because
    // its first split cuts the AVERAGE profile and 36 of these 480 people move.
    assertEquals(expectedMoves, moved, name + ": people whose profile stayed but whose segment id changed");
  }

  /** Returns the English label of each segment of {@code period}, keyed "period/segment_id". */
  private static Map<String, String> labelOf(Segments.Result result, LocalDate period) {
    Map<String, String> labels = new HashMap<>();
    result.profiles().filter("period_start = '" + period + "'").select("segment_id", "segment_label_en")
        .collectAsList().forEach(r -> labels.put(period + "/" + r.getInt(0), r.getString(1)));
    return labels;
  }

  /** Returns the segment id that most people planted with {@code profile} are in. */
  private static int majoritySegment(List<PlantedProfiles.Consultant> consultants, Map<String, Integer> found,
      PlantedProfiles.Profile profile) {
    Map<Integer, Long> counts = new HashMap<>();
    for (PlantedProfiles.Consultant consultant : consultants) {
      if (consultant.profile() == profile) {
        counts.merge(found.get(consultant.id()), 1L, Long::sum);
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }
}
