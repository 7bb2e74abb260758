package org.consultscore.segments;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.ScoringConfig;

/**
 * The segment centroids of earlier periods, published or computed earlier in the same run,
 * that give each period's segments their ids. The anchor of a period is the latest earlier
 * period with segments, so a period that could not be clustered does not reset every id. The
 * history contains a few rows per period, so it lives on the driver.
 */
final class SegmentHistory {
  /**
   * A segment of one period: its id, centroid per dimension of ScoringConfig.DIMENSIONS (NaN:
   * not scored) and English label (null until the period is labelled).
   */
  record Centroid(int segmentId, double[] point, String labelEn) {}

  private final TreeMap<LocalDate, List<Centroid>> periods = new TreeMap<>();

  /**
   * Loads the published segment profiles of one grain, except the periods the run recomputes.
   * {@code published} may be null when nothing was published yet.
   */
  static SegmentHistory of(Dataset<Row> published, Set<LocalDate> runPeriods) {
    SegmentHistory history = new SegmentHistory();
    if (published == null) {
      return history;
    }
    List<String> columns = new ArrayList<>(List.of("period_start", "segment_id", "segment_label_en"));
    ScoringConfig.DIMENSIONS.forEach(d -> columns.add(d + "_centroid"));
    List<Date> skipped = runPeriods.stream().map(Date::valueOf).toList();
    List<Row> rows = published.filter(col("period_start").isin(skipped.toArray()).unary_$bang())
        .selectExpr(columns.toArray(new String[0]))
        .collectAsList();
    for (Row row : rows) {
      double[] point = new double[ScoringConfig.DIMENSIONS.size()];
      for (int d = 0; d < point.length; d++) {
        point[d] = row.isNullAt(3 + d) ? Double.NaN : row.getDouble(3 + d);
      }
      history.periods.computeIfAbsent(row.getDate(0).toLocalDate(), p -> new ArrayList<>())
          .add(new Centroid(row.getInt(1), point, row.getString(2)));
    }
    return history;
  }

  /**
   * Assigns segment ids to the clusters of {@code period} and records them as history for later
   * periods. A cluster whose centroid matches one of the anchor period's segments (see
   * CentroidMatcher) keeps that segment's id. The others get the next ids never used before this
   * period, in the order given. Without an anchor the ids are 1, 2, ... in that order.
   *
   * @param clusters the cluster numbers, best mean composite first
   * @param centroids the centroid of each cluster number on the 0-100 scale, per ScoringConfig.DIMENSIONS
   */
  Assignment assign(LocalDate period, List<Integer> clusters, double[][] centroids, double maxDistance) {
    Map.Entry<LocalDate, List<Centroid>> anchor = periods.lowerEntry(period);
    List<Centroid> previous = anchor == null ? List.of() : anchor.getValue();
    double[][] current = clusters.stream().map(c -> centroids[c]).toArray(double[][]::new);
    double[][] before = previous.stream().map(Centroid::point).toArray(double[][]::new);
    int[] matched = CentroidMatcher.match(current, before, maxDistance);

    Map<Integer, Integer> ids = new LinkedHashMap<>();
    List<Centroid> recorded = new ArrayList<>();
    int next = maxIdBefore(period) + 1;
    int kept = 0;
    for (int i = 0; i < clusters.size(); i++) {
      boolean match = matched[i] != CentroidMatcher.UNMATCHED;
      int id = match ? previous.get(matched[i]).segmentId() : next++;
      kept += match ? 1 : 0;
      ids.put(clusters.get(i), id);
      recorded.add(new Centroid(id, centroids[clusters.get(i)], null));
    }
    if (!recorded.isEmpty()) {
      periods.put(period, recorded);
    }
    return new Assignment(ids, anchor == null ? null : anchor.getKey(), kept);
  }

  /**
   * Returns the English label of segment {@code segmentId} in the latest period before
   * {@code period} that has segments, or null when that period has no such segment (a new id)
   * or none exists.
   */
  String previousLabel(LocalDate period, int segmentId) {
    Map.Entry<LocalDate, List<Centroid>> anchor = periods.lowerEntry(period);
    if (anchor == null) {
      return null;
    }
    return anchor.getValue().stream().filter(c -> c.segmentId() == segmentId).map(Centroid::labelEn)
        .findFirst().orElse(null);
  }

  /** Records the English label of a segment of {@code period} that {@link #assign} recorded. */
  void recordLabel(LocalDate period, int segmentId, String labelEn) {
    List<Centroid> centroids = periods.get(period);
    for (int i = 0; i < centroids.size(); i++) {
      Centroid centroid = centroids.get(i);
      if (centroid.segmentId() == segmentId) {
        centroids.set(i, new Centroid(segmentId, centroid.point(), labelEn));
      }
    }
  }

  /**
   * Segment ids by cluster number, the period they were matched against (null: none) and how
   * many ids were kept from it.
   */
  record Assignment(Map<Integer, Integer> ids, LocalDate anchor, int kept) {}

  /** Returns the largest segment id used before {@code period}, or 0. */
  private int maxIdBefore(LocalDate period) {
    int max = 0;
    for (List<Centroid> centroids : periods.headMap(period).values()) {
      for (Centroid centroid : centroids) {
        max = Math.max(max, centroid.segmentId());
      }
    }
    return max;
  }
}
