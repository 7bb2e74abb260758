package org.consultscore.segments;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.consultscore.config.ScoringConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments stage. Per period it clusters the standardized dimension scores of the scored
 * consultants (k-means, bisecting k-means or a Gaussian mixture, k fixed or chosen by
 * silhouette) and labels each segment from its centroid. Segment ids follow the previous
 * period's segments by centroid (see SegmentHistory), so an id names the same profile month to
 * month, and a kept id keeps its label while the label is still true (see SegmentLabels).
 *
 * <p>The rows of one period (one per scored consultant, not per session) are collected to the
 * driver to build features, labels and distances; their number is bounded by the roster.
 */
public final class Segments {
  private static final Logger LOG = LoggerFactory.getLogger(Segments.class);

  private final SparkSession spark;
  private final ScoringConfig rules;
  private final List<String> dimensions;

  /** Output of the stage, plus one line per period for the run record. */
  public record Result(Dataset<Row> members, Dataset<Row> profiles, Dataset<Row> transitions,
      Map<LocalDate, String> notes) {}

  private Segments(SparkSession spark, ScoringConfig rules) {
    this.spark = spark;
    this.rules = rules;
    this.dimensions = new ArrayList<>(rules.dimensions().keySet());
  }

  /** Runs the stage with no published segments to continue from. */
  public static Result run(SparkSession spark, Dataset<Row> scores, ScoringConfig rules, String grain,
      List<LocalDate> periods) {
    return run(spark, scores, rules, grain, periods, null, null);
  }

  /**
   * Runs the stage over the periods, oldest first, so each period's segment ids continue those
   * of the period before it.
   *
   * @param publishedProfiles segment_profiles rows of this grain published earlier, or null
   * @param publishedMembers consultant_segments rows of this grain published earlier, or null
   */
  public static Result run(SparkSession spark, Dataset<Row> scores, ScoringConfig rules, String grain,
      List<LocalDate> periods, Dataset<Row> publishedProfiles, Dataset<Row> publishedMembers) {
    Segments segments = new Segments(spark, rules);
    List<LocalDate> ordered = periods.stream().distinct().sorted().toList();
    SegmentHistory history = SegmentHistory.of(publishedProfiles, Set.copyOf(ordered));
    List<Row> members = new ArrayList<>();
    List<Row> profiles = new ArrayList<>();
    Map<LocalDate, String> notes = new LinkedHashMap<>();
    for (LocalDate period : ordered) {
      String note = segments.cluster(scores, grain, period, history, members, profiles);
      notes.put(period, note);
    }
    List<Row> transitions = SegmentTransitions.of(grain, ordered, members, publishedMembers);
    return new Result(
        spark.createDataFrame(members, SegmentSchemas.members()),
        spark.createDataFrame(profiles, SegmentSchemas.profiles()),
        spark.createDataFrame(transitions, SegmentSchemas.transitions()),
        notes);
  }

  private String cluster(Dataset<Row> scores, String grain, LocalDate period, SegmentHistory history,
      List<Row> members, List<Row> profiles) {
    List<String> selected = new ArrayList<>(List.of("consultant_id", "composite"));
    dimensions.forEach(d -> selected.add(d + "_score"));
    rules.peerGroup().forEach(selected::add);
    List<Row> rows = scores
        .filter(col("period_start").equalTo(Date.valueOf(period)).and(col("composite").isNotNull()))
        .selectExpr(selected.toArray(new String[0]))
        .orderBy("consultant_id")
        .collectAsList();

    FeatureMatrix matrix = FeatureMatrix.of(rows, dimensions, rules.peerGroup());
    int n = matrix.size();
    int kMin = rules.segments().k() > 0 ? rules.segments().k() : rules.segments().kMin();
    if (n == 0) {
      return skip(period, "no scored consultant");
    }
    if (n <= kMin) {
      return skip(period, n + " scored consultants, need more than " + kMin + " to form " + kMin + " segments");
    }
    if (matrix.activeFeatures().isEmpty()) {
      return skip(period, "all " + n + " consultants have identical dimension scores");
    }
    if (!matrix.constantFeatures().isEmpty()) {
      LOG.info("Segments {}: constant dimensions left out of clustering: {}", period, matrix.constantFeatures());
    }
    if (matrix.distinctRows() <= kMin) {
      return skip(period, "only " + matrix.distinctRows() + " distinct profiles among " + n + " consultants");
    }

    Dataset<Row> features = spark.createDataFrame(matrix.featureRows(), featureSchema());
    Choice best = choose(matrix, Math.min(matrix.distinctRows() - 1, n - 1));
    if (best == null) {
      return skip(period, rules.segments().algorithm() + " put all " + n + " consultants in one cluster for every k");
    }
    double[][] centroids = centroids(best, matrix);
    SegmentHistory.Assignment ids = history.assign(period, byComposite(best, matrix), centroids,
        rules.segments().matchMaxDistance());
    double[][] pca = pca(features, matrix.activeFeatures().size());

    Map<Integer, SegmentLabels.Label> labels = labels(period, matrix, best, ids.ids(), history);
    collect(grain, period, matrix, best, ids.ids(), labels, centroids, pca, members, profiles);
    String note = String.format(Locale.ROOT, "clustered %d consultants into k=%d segments (%s, silhouette %.3f)",
        n, best.k(), rules.segments().algorithm(), best.silhouette());
    if (ids.anchor() != null) {
      note += String.format(Locale.ROOT, ", %d of %d segment ids kept from %s", ids.kept(), ids.ids().size(),
          ids.anchor());
    }
    LOG.info("Segments {}: {}", period, note);
    return note;
  }

  private record Choice(int k, double silhouette, Vector[] centers, int[] assignment) {}

  /**
   * Fits the configured algorithm for each k allowed and keeps the best silhouette. A tie keeps
   * the smaller k. A fit that puts everyone in one cluster has no silhouette and is skipped.
   */
  private Choice choose(FeatureMatrix matrix, int maxK) {
    ScoringConfig.SegmentRules settings = rules.segments();
    List<Vector> points = new ArrayList<>();
    for (int i = 0; i < matrix.size(); i++) {
      points.add(matrix.feature(i));
    }
    Clusterer clusterer = new Clusterer(spark, points, settings.seed(), settings.restarts(),
        settings.maxIterations());
    int from = settings.k() > 0 ? settings.k() : settings.kMin();
    int to = settings.k() > 0 ? settings.k() : Math.min(settings.kMax(), maxK);
    List<Integer> ks = new ArrayList<>();
    for (int k = from; k <= Math.max(from, to); k++) {
      ks.add(k);
    }
    Map<Integer, Clusterer.Fit> fits = new LinkedHashMap<>();
    clusterer.fitEach(settings.algorithm(), ks).forEach((k, fit) -> {
      if (fit.clustersUsed() < 2) {
        LOG.debug("{} k={} put everyone in one cluster", settings.algorithm(), k);
      } else {
        fits.put(k, fit);
      }
    });
    Choice best = null;
    for (Map.Entry<Integer, Double> entry : clusterer.silhouettes(fits).entrySet()) {
      int k = entry.getKey();
      double silhouette = entry.getValue();
      LOG.debug("{} k={} silhouette={}", settings.algorithm(), k, silhouette);
      if (best == null || silhouette > best.silhouette() + 1e-12) {
        best = new Choice(k, silhouette, fits.get(k).centers(), fits.get(k).assignment());
      }
    }
    return best;
  }

  /**
   * Returns the non-empty clusters by mean composite, best first. Without earlier segments they
   * get ids 1, 2, ..., so id 1 is the strongest profile of the first period.
   */
  private static List<Integer> byComposite(Choice choice, FeatureMatrix matrix) {
    double[] sum = new double[choice.k()];
    int[] size = new int[choice.k()];
    for (int i = 0; i < matrix.size(); i++) {
      sum[choice.assignment()[i]] += matrix.composite(i);
      size[choice.assignment()[i]]++;
    }
    List<Integer> clusters = new ArrayList<>();
    for (int c = 0; c < choice.k(); c++) {
      if (size[c] > 0) {
        clusters.add(c);
      }
    }
    clusters.sort((a, b) -> Double.compare(sum[b] / size[b], sum[a] / size[a]));
    return clusters;
  }

  /**
   * Returns the mean filled score of each cluster's members per ScoringConfig.DIMENSIONS, on the
   * 0-100 scale. A dimension the rules do not score, or an empty cluster, is NaN.
   */
  private double[][] centroids(Choice choice, FeatureMatrix matrix) {
    int width = ScoringConfig.DIMENSIONS.size();
    double[][] sums = new double[choice.k()][width];
    int[] size = new int[choice.k()];
    for (int i = 0; i < matrix.size(); i++) {
      int cluster = choice.assignment()[i];
      size[cluster]++;
      for (int d = 0; d < width; d++) {
        sums[cluster][d] += matrix.filledScore(i, ScoringConfig.DIMENSIONS.get(d));
      }
    }
    for (int c = 0; c < choice.k(); c++) {
      for (int d = 0; d < width; d++) {
        boolean scored = dimensions.contains(ScoringConfig.DIMENSIONS.get(d));
        sums[c][d] = scored && size[c] > 0 ? sums[c][d] / size[c] : Double.NaN;
      }
    }
    return sums;
  }

  private double[][] pca(Dataset<Row> features, int width) {
    int components = Math.min(2, width);
    PCAModel model = new PCA().setK(components).setInputCol("features").setOutputCol("pca").fit(features);
    List<Row> projected = model.transform(features).select("row", "pca").collectAsList();
    double[][] coordinates = new double[projected.size()][2];
    for (Row row : projected) {
      Vector vector = row.getAs(1);
      // Rounded because the distributed covariance sums differ in the last bits from run to
      // run, and the same input must publish the same coordinates.
      coordinates[row.getInt(0)][0] = round(vector.apply(0));
      coordinates[row.getInt(0)][1] = components > 1 ? round(vector.apply(1)) : 0.0;
    }
    return coordinates;
  }

  /**
   * Labels each cluster from its standardized center. A segment id kept from the previous
   * period keeps that period's label while it is still true (see SegmentLabels.keepOrName). The
   * labels are recorded in the history for the next period.
   */
  private Map<Integer, SegmentLabels.Label> labels(LocalDate period, FeatureMatrix matrix, Choice choice,
      Map<Integer, Integer> segmentIds, SegmentHistory history) {
    Map<Integer, SegmentLabels.Label> labels = new HashMap<>();
    for (Map.Entry<Integer, Integer> entry : segmentIds.entrySet()) {
      Map<String, Double> standardized = new LinkedHashMap<>();
      for (String dimension : dimensions) {
        int feature = matrix.activeFeatures().indexOf(dimension);
        standardized.put(dimension, feature < 0 ? 0.0 : choice.centers()[entry.getKey()].apply(feature));
      }
      SegmentLabels.Label label = SegmentLabels.keepOrName(standardized, rules.dimensions(),
          rules.segments().labelThreshold(), history.previousLabel(period, entry.getValue()));
      labels.put(entry.getKey(), label);
      history.recordLabel(period, entry.getValue(), label.en());
    }
    return labels;
  }

  private void collect(String grain, LocalDate period, FeatureMatrix matrix, Choice choice,
      Map<Integer, Integer> segmentIds, Map<Integer, SegmentLabels.Label> labels, double[][] centroids,
      double[][] pca, List<Row> members, List<Row> profiles) {
    Date periodDate = Date.valueOf(period);
    Vector[] centers = choice.centers();
    for (int i = 0; i < matrix.size(); i++) {
      int cluster = choice.assignment()[i];
      SegmentLabels.Label label = labels.get(cluster);
      double distance = Math.sqrt(Vectors.sqdist(matrix.feature(i), centers[cluster]));
      members.add(RowFactory.create(grain, periodDate, matrix.consultantId(i), segmentIds.get(cluster),
          label.en(), label.zh(), distance, pca[i][0], pca[i][1], matrix.imputed(i)));
    }
    for (Map.Entry<Integer, Integer> entry : segmentIds.entrySet()) {
      profiles.add(profile(grain, periodDate, matrix, choice, entry.getKey(), entry.getValue(),
          labels.get(entry.getKey()), centroids[entry.getKey()]));
    }
  }

  private Row profile(String grain, Date period, FeatureMatrix matrix, Choice choice, int cluster, int segmentId,
      SegmentLabels.Label label, double[] centroid) {
    int size = 0;
    double compositeSum = 0;
    for (int i = 0; i < matrix.size(); i++) {
      if (choice.assignment()[i] == cluster) {
        size++;
        compositeSum += matrix.composite(i);
      }
    }
    List<Object> values = new ArrayList<>(List.of(grain, period, segmentId, label.en(), label.zh(), (long) size,
        (double) size / matrix.size()));
    for (double coordinate : centroid) {
      values.add(Double.isNaN(coordinate) ? null : coordinate);
    }
    values.addAll(List.of(compositeSum / size, rules.segments().algorithm(), choice.k(), choice.silhouette()));
    return RowFactory.create(values.toArray());
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }

  private static StructType featureSchema() {
    return new StructType(new StructField[] {
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
  }

  private static String skip(LocalDate period, String why) {
    String note = "not clustered: " + why;
    LOG.info("Segments {}: {}", period, note);
    return note;
  }
}
