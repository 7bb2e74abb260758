package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.consultscore.config.ScoringConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment labels from standardized centroids (threshold 0.5), and when a segment that kept its
 * id keeps its previous label.
 */
class SegmentLabelsTest {
  private static final double THRESHOLD = 0.5;

  @TempDir
  static Path dir;

  private static Map<String, ScoringConfig.DimensionRule> dimensions;

  @BeforeAll
  static void loadRules() throws Exception {
    dimensions = SegmentFixtures.rules(dir, "segments { k_min = 2, k_max = 3 }").dimensions();
  }

  /** Returns a centroid over responsiveness, resolution and satisfaction, in standard deviations. */
  private static Map<String, Double> centroid(double responsiveness, double resolution, double satisfaction) {
    Map<String, Double> centroid = new LinkedHashMap<>();
    centroid.put("responsiveness", responsiveness);
    centroid.put("resolution", resolution);
    centroid.put("satisfaction", satisfaction);
    return centroid;
  }

  private static String keepOrName(Map<String, Double> centroid, String previous) {
    return SegmentLabels.keepOrName(centroid, dimensions, THRESHOLD, previous).en();
  }

  @Test
  void freshLabelNamesTopTwo() {
    SegmentLabels.Label label = SegmentLabels.of(centroid(1.3, -0.2, -1.1), dimensions, THRESHOLD);
    assertEquals("fast response, low satisfaction", label.en());
    assertEquals("响应快、满意度低", label.zh());
    assertEquals(SegmentLabels.BALANCED_EN, SegmentLabels.of(centroid(0.4, -0.3, 0.1), dimensions, THRESHOLD).en());
  }

  @Test
  void nearTieKeepsPreviousLabel() {
    // Fresh naming would pick responsiveness and satisfaction, but resolution lies within the
    // margin of satisfaction, so the previous month's words stay.
    Map<String, Double> centroid = centroid(1.25, 1.1, -1.2);
    assertEquals("fast response, low satisfaction", SegmentLabels.of(centroid, dimensions, THRESHOLD).en());
    SegmentLabels.Label kept = SegmentLabels.keepOrName(centroid, dimensions, THRESHOLD,
        "strong resolution, fast response");
    assertEquals("strong resolution, fast response", kept.en());
    assertEquals("解决率高、响应快", kept.zh(), "the Chinese label follows the kept English one");
  }

  @Test
  void labelChangesWhenNoLongerTrue() {
    String previous = "strong resolution, fast response";
    assertEquals("fast response, low satisfaction", keepOrName(centroid(1.25, 0.45, -1.2), previous),
        "resolution fell below the threshold");
    assertEquals("fast response, weak resolution", keepOrName(centroid(1.25, -0.9, 0.2), previous),
        "resolution changed side");
  }

  @Test
  void clearlyStrongerDimensionReplacesLabel() {
    String previous = "strong resolution, fast response";
    assertEquals("strong resolution, fast response", keepOrName(centroid(0.8, 0.9, -1.29), previous),
        "satisfaction 0.49 beyond the weakest named dimension is within the margin");
    assertEquals("low satisfaction, strong resolution", keepOrName(centroid(0.8, 0.9, -1.31), previous),
        "satisfaction 0.51 beyond the weakest named dimension exceeds the margin");
  }

  @Test
  void balancedNeedsClearDeviationToChange() {
    assertEquals(SegmentLabels.BALANCED_EN, keepOrName(centroid(0.95, 0.1, -0.2), SegmentLabels.BALANCED_EN),
        "0.95 is under threshold plus margin");
    assertEquals("fast response", keepOrName(centroid(1.05, 0.1, -0.2), SegmentLabels.BALANCED_EN),
        "1.05 is beyond threshold plus margin");
  }

  @Test
  void oneWordLabelGainsSecondOnlyBeyondMargin() {
    assertEquals("fast response", keepOrName(centroid(1.5, 0.7, 0.0), "fast response"));
    assertEquals("fast response, strong resolution", keepOrName(centroid(1.5, 1.1, 0.0), "fast response"));
  }

  @Test
  void unreadablePreviousLabelIsIgnored() {
    Map<String, Double> centroid = centroid(1.25, 1.1, -1.2);
    String fresh = "fast response, low satisfaction";
    assertEquals(fresh, keepOrName(centroid, null), "a new segment");
    assertEquals(fresh, keepOrName(centroid, "speedy, strong resolution"), "words of other rules");
    assertEquals(fresh, keepOrName(centroid, "high throughput, fast response"), "a dimension not scored");
    assertEquals(fresh, keepOrName(centroid, "fast response, fast response"), "a repeated part");
  }

  @Test
  void parseReadsLabelsBack() {
    assertEquals(List.of(new SegmentLabels.Part("satisfaction", false), new SegmentLabels.Part("resolution", true)),
        SegmentLabels.parse("low satisfaction, strong resolution", dimensions).orElseThrow());
    assertTrue(SegmentLabels.parse(SegmentLabels.BALANCED_EN, dimensions).orElseThrow().isEmpty());
    assertTrue(SegmentLabels.parse("fast response, strong resolution, low satisfaction", dimensions).isEmpty(),
        "three parts are more than a label names");
  }
}
