package org.consultscore.segments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.consultscore.config.ScoringConfig;

/**
 * Names a segment from its centroid in standardized units: the (at most two) dimensions
 * furthest from the population mean, beyond the label threshold, largest first, e.g.
 * "fast response, low satisfaction" / "响应快、满意度低".
 */
final class SegmentLabels {
  static final String BALANCED_EN = "balanced, near average";
  static final String BALANCED_ZH = "各项均衡、接近平均";
  private static final int MAX_PARTS = 2;

  private SegmentLabels() {}

  record Label(String en, String zh) {}

  static Label of(Map<String, Double> standardizedCentroid, Map<String, ScoringConfig.DimensionRule> dimensions,
      double threshold) {
    List<Map.Entry<String, Double>> notable = new ArrayList<>(standardizedCentroid.entrySet().stream()
        .filter(e -> Math.abs(e.getValue()) >= threshold)
        .toList());
    notable.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue()))
        .thenComparing(Map.Entry::getKey));
    if (notable.isEmpty()) {
      return new Label(BALANCED_EN, BALANCED_ZH);
    }
    List<String> en = new ArrayList<>();
    List<String> zh = new ArrayList<>();
    for (Map.Entry<String, Double> entry : notable.subList(0, Math.min(MAX_PARTS, notable.size()))) {
      ScoringConfig.DimensionRule rule = dimensions.get(entry.getKey());
      boolean high = entry.getValue() > 0;
      en.add(high ? rule.highEn() : rule.lowEn());
      zh.add(high ? rule.highZh() : rule.lowZh());
    }
    return new Label(String.join(", ", en), String.join("、", zh));
  }
}
