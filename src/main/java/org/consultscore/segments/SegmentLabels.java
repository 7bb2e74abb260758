package org.consultscore.segments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.consultscore.config.ScoringConfig;

/**
 * Names a segment from its centroid in standardized units: the (at most two) dimensions
 * furthest from the population mean, beyond the label threshold, largest first, e.g.
 * "fast response, low satisfaction" / "响应快、满意度低".
 *
 * <p>A segment that keeps its id from the previous period keeps that period's label while the
 * label is still true (see {@link #keepOrName}), so a profile whose top dimensions are nearly
 * tied does not change its name from month to month with the noise.
 */
final class SegmentLabels {
  static final String BALANCED_EN = "balanced, near average";
  static final String BALANCED_ZH = "各项均衡、接近平均";
  /**
   * Standard deviations by which a dimension that the previous label does not name must deviate
   * more than the weakest dimension it names (or, while the label has a free place, more than
   * the label threshold) before the label changes.
   */
  static final double KEEP_MARGIN = 0.5;
  private static final int MAX_PARTS = 2;
  private static final String SEPARATOR_EN = ", ";
  private static final String SEPARATOR_ZH = "、";

  private SegmentLabels() {}

  record Label(String en, String zh) {}

  /** One dimension named in a label: above the mean ({@code high}) or below it. */
  record Part(String dimension, boolean high) {}

  /** Names the segment from its centroid alone. */
  static Label of(Map<String, Double> standardizedCentroid, Map<String, ScoringConfig.DimensionRule> dimensions,
      double threshold) {
    return label(fresh(standardizedCentroid, threshold), dimensions);
  }

  /**
   * Returns the previous label of a segment that kept its id, as long as it is still true, and
   * otherwise names the segment from its centroid. The previous label is still true when
   *
   * <ul>
   *   <li>every dimension it names still lies at least {@code threshold} from the mean on the
   *       same side, and
   *   <li>no dimension it does not name lies further from the mean than the weakest named
   *       dimension plus {@link #KEEP_MARGIN}. While it names fewer than two dimensions (for
   *       example "balanced, near average"), the bar is {@code threshold} plus the margin.
   * </ul>
   *
   * <p>The label is rebuilt from the current rules' words, so the Chinese label follows the
   * English one. A previous label that the current rules cannot read back (another
   * rules_version with other words, or a dimension no longer scored) is ignored.
   *
   * @param previousEn the English label of the segment with the same id in the period the ids
   *     were matched against, or null for a new segment
   */
  static Label keepOrName(Map<String, Double> standardizedCentroid,
      Map<String, ScoringConfig.DimensionRule> dimensions, double threshold, String previousEn) {
    List<Part> current = fresh(standardizedCentroid, threshold);
    Optional<List<Part>> previous = previousEn == null ? Optional.empty() : parse(previousEn, dimensions);
    if (previous.isPresent() && stillTrue(previous.get(), current, standardizedCentroid, threshold)) {
      return label(previous.get(), dimensions);
    }
    return label(current, dimensions);
  }

  private static boolean stillTrue(List<Part> previous, List<Part> current, Map<String, Double> centroid,
      double threshold) {
    double weakest = Double.POSITIVE_INFINITY;
    for (Part part : previous) {
      Double value = centroid.get(part.dimension());
      if (value == null || Math.abs(value) < threshold || (value > 0) != part.high()) {
        return false;
      }
      weakest = Math.min(weakest, Math.abs(value));
    }
    double replaceAt = (previous.size() < MAX_PARTS ? threshold : weakest) + KEEP_MARGIN;
    for (Part part : current) {
      if (!previous.contains(part) && Math.abs(centroid.get(part.dimension())) >= replaceAt) {
        return false;
      }
    }
    return true;
  }

  /** Returns the dimensions beyond the threshold, furthest from the mean first, at most two. */
  private static List<Part> fresh(Map<String, Double> standardizedCentroid, double threshold) {
    List<Map.Entry<String, Double>> notable = new ArrayList<>(standardizedCentroid.entrySet().stream()
        .filter(e -> Math.abs(e.getValue()) >= threshold)
        .toList());
    notable.sort(Comparator.comparingDouble((Map.Entry<String, Double> e) -> -Math.abs(e.getValue()))
        .thenComparing(Map.Entry::getKey));
    return notable.subList(0, Math.min(MAX_PARTS, notable.size())).stream()
        .map(e -> new Part(e.getKey(), e.getValue() > 0))
        .toList();
  }

  private static Label label(List<Part> parts, Map<String, ScoringConfig.DimensionRule> dimensions) {
    if (parts.isEmpty()) {
      return new Label(BALANCED_EN, BALANCED_ZH);
    }
    List<String> en = new ArrayList<>();
    List<String> zh = new ArrayList<>();
    for (Part part : parts) {
      ScoringConfig.DimensionRule rule = dimensions.get(part.dimension());
      en.add(part.high() ? rule.highEn() : rule.lowEn());
      zh.add(part.high() ? rule.highZh() : rule.lowZh());
    }
    return new Label(String.join(SEPARATOR_EN, en), String.join(SEPARATOR_ZH, zh));
  }

  /**
   * Reads an English label back into its parts with the words of {@code dimensions}. Returns
   * empty when a part matches no word, or more than one, of the scored dimensions.
   */
  static Optional<List<Part>> parse(String labelEn, Map<String, ScoringConfig.DimensionRule> dimensions) {
    if (labelEn.equals(BALANCED_EN)) {
      return Optional.of(List.of());
    }
    List<Part> parts = new ArrayList<>();
    for (String word : labelEn.split(SEPARATOR_EN, -1)) {
      List<Part> matches = new ArrayList<>();
      for (Map.Entry<String, ScoringConfig.DimensionRule> entry : dimensions.entrySet()) {
        if (word.equals(entry.getValue().highEn())) {
          matches.add(new Part(entry.getKey(), true));
        }
        if (word.equals(entry.getValue().lowEn())) {
          matches.add(new Part(entry.getKey(), false));
        }
      }
      if (matches.size() != 1 || parts.contains(matches.get(0))) {
        return Optional.empty();
      }
      parts.add(matches.get(0));
    }
    return parts.size() <= MAX_PARTS ? Optional.of(parts) : Optional.empty();
  }
}
