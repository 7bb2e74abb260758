package org.consultscore.segments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.lang3.concurrent.BasicThreadFactory;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.Clusterable;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.Well19937c;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.clustering.BisectingKMeans;
import org.apache.spark.ml.clustering.BisectingKMeansModel;
import org.apache.spark.ml.evaluation.ClusteringEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.mllib.clustering.GaussianMixture;
import org.apache.spark.mllib.clustering.GaussianMixtureModel;
import org.apache.spark.mllib.linalg.DenseMatrix;
import org.apache.spark.mllib.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Fits a clustering model with a fixed k on the standardized features of a period and returns
 * each row's cluster and the cluster centers. k-means runs once per restart, with seeds derived
 * from the configured seed, and keeps the fit with the lowest within-cluster sum of squares, so
 * one unlucky start does not split one profile and merge two others.
 *
 * <p>k-means runs on the driver with Commons Math, which Spark itself ships, because the rows
 * (one per consultant) are already there. Spark MLlib's k-means starts about fifteen tiny Spark
 * jobs per fit, and the default settings make thirty fits per period. The Gaussian mixture and
 * bisecting k-means stay on Spark MLlib, because they fit once per k.
 *
 * <p>The fits of all k and restarts run side by side on a few driver threads. Every fit has its
 * own seed, and the best restart is chosen in restart order, so the result does not depend on
 * which fit ends first.
 */
final class Clusterer {
  static final String KMEANS = "kmeans";
  static final String BISECTING_KMEANS = "bisecting_kmeans";
  static final String GMM = "gmm";

  /**
   * Added to every coordinate before bisecting k-means. Spark 3.5.7 starts each split from two
   * points near the center, at a distance scaled by the center's norm, so on standardized
   * features (root center at the origin) it put every row in one cluster. Distances do not
   * change under the shift.
   */
  private static final double BISECTING_SHIFT = 10.0;
  /** Added to the diagonal of each starting covariance so a tight cluster still has a density. */
  private static final double COVARIANCE_RIDGE = 1e-3;
  /**
   * Relative difference in within-cluster sum of squares below which two fits count as equally
   * good and the earlier restart is kept. Spark sums the centers in a different order from run
   * to run, so the same partition can differ in the last bits.
   */
  private static final double COST_TOLERANCE = 1e-9;
  /** Fits that run at once. */
  private static final int PARALLEL_FITS = 4;

  private final SparkSession spark;
  private final List<Vector> points;
  private final long seed;
  private final int restarts;
  private final int maxIterations;

  /** The cluster of each row (0..k-1, in row order) and the centers in feature space. */
  record Fit(int[] assignment, Vector[] centers) {
    int clustersUsed() {
      return (int) Arrays.stream(assignment).distinct().count();
    }
  }

  Clusterer(SparkSession spark, List<Vector> points, long seed, int restarts, int maxIterations) {
    this.spark = spark;
    this.points = points;
    this.seed = seed;
    this.restarts = restarts;
    this.maxIterations = maxIterations;
  }

  /**
   * Fits the algorithm once for each k given and returns the fits by k, in the order given.
   * k-means and gmm keep the best of the restarts of each k.
   */
  Map<Integer, Fit> fitEach(String algorithm, List<Integer> ks) {
    if (!List.of(KMEANS, BISECTING_KMEANS, GMM).contains(algorithm)) {
      throw new IllegalArgumentException("unknown segments.algorithm '" + algorithm
          + "'; use one of " + List.of(KMEANS, BISECTING_KMEANS, GMM));
    }
    ExecutorService pool = fitThreads("consultscore-segments-fit");
    try {
      Map<Integer, Future<Fit>> fits = new LinkedHashMap<>();
      if (BISECTING_KMEANS.equals(algorithm)) {
        ks.forEach(k -> fits.put(k, pool.submit(() -> bisecting(k))));
        return await(fits);
      }
      Map<Integer, List<Future<Fit>>> restartsByK = new LinkedHashMap<>();
      for (int k : ks) {
        List<Future<Fit>> restartFits = new ArrayList<>();
        for (int restart = 0; restart < restarts; restart++) {
          long restartSeed = restartSeed(seed, restart);
          restartFits.add(pool.submit(() -> kmeans(k, restartSeed)));
        }
        restartsByK.put(k, restartFits);
      }
      Map<Integer, Fit> best = new LinkedHashMap<>();
      for (Map.Entry<Integer, List<Future<Fit>>> entry : restartsByK.entrySet()) {
        List<Fit> restartFits = new ArrayList<>();
        for (Future<Fit> fit : entry.getValue()) {
          restartFits.add(await(fit));
        }
        best.put(entry.getKey(), bestOf(restartFits));
      }
      if (KMEANS.equals(algorithm)) {
        return best;
      }
      best.forEach((k, start) -> fits.put(k, pool.submit(() -> gmm(k, start))));
      return await(fits);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Silhouette (squared Euclidean) of each fit, computed side by side; keys as given. */
  Map<Integer, Double> silhouettes(Map<Integer, Fit> fits) {
    ClusteringEvaluator evaluator = new ClusteringEvaluator().setFeaturesCol("features").setPredictionCol("prediction");
    ExecutorService pool = fitThreads("consultscore-segments-silhouette");
    try {
      Map<Integer, Future<Double>> scores = new LinkedHashMap<>();
      fits.forEach((k, fit) -> scores.put(k, pool.submit(() -> evaluator.evaluate(predictions(fit.assignment())))));
      return await(scores);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Returns a pool of {@value #PARALLEL_FITS} daemon threads named after {@code name}. */
  private static ExecutorService fitThreads(String name) {
    return Executors.newFixedThreadPool(PARALLEL_FITS,
        new BasicThreadFactory.Builder().namingPattern(name + "-%d").daemon(true).build());
  }

  private static <T> Map<Integer, T> await(Map<Integer, Future<T>> futures) {
    Map<Integer, T> results = new LinkedHashMap<>();
    futures.forEach((k, future) -> results.put(k, await(future)));
    return results;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fitting segments", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Builds the Dataset (row, features, prediction) that ClusteringEvaluator reads. */
  Dataset<Row> predictions(int[] assignment) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      rows.add(RowFactory.create(i, points.get(i), assignment[i]));
    }
    return spark.createDataFrame(rows, new StructType(new StructField[] {
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false),
        DataTypes.createStructField("prediction", DataTypes.IntegerType, false)}));
  }

  /**
   * Returns the seed of restart {@code restart}: the configured seed for restart 0, so one
   * restart gives the fit of earlier versions, and a SplitMix64 hash of seed and restart for the
   * others, so nearby configured seeds do not share starts.
   */
  static long restartSeed(long seed, int restart) {
    if (restart == 0) {
      return seed;
    }
    long z = seed + restart * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Returns the sum of squared Euclidean distances from each row to its cluster's center. */
  private double cost(Fit fit) {
    double sum = 0;
    for (int i = 0; i < points.size(); i++) {
      sum += Vectors.sqdist(points.get(i), fit.centers()[fit.assignment()[i]]);
    }
    return sum;
  }

  /**
   * Returns the fit with the lowest within-cluster sum of squares, computed on the driver in
   * row order. A fit within COST_TOLERANCE of an earlier one does not replace it, so a tie keeps
   * the earlier restart.
   */
  private Fit bestOf(List<Fit> restartFits) {
    Fit best = null;
    double bestCost = Double.POSITIVE_INFINITY;
    for (Fit fit : restartFits) {
      double cost = cost(fit);
      if (best == null || cost < bestCost * (1 - COST_TOLERANCE)) {
        best = fit;
        bestCost = cost;
      }
    }
    return best;
  }

  /**
   * Fits k-means (k-means++ start, then Lloyd iterations until no row moves or
   * {@code maxIterations}) with the given seed. A cluster left empty takes a row from the
   * cluster of largest variance, as Commons Math does by default.
   */
  private Fit kmeans(int k, long restartSeed) {
    List<IndexedPoint> rows = new ArrayList<>(points.size());
    for (int i = 0; i < points.size(); i++) {
      rows.add(new IndexedPoint(i, points.get(i).toArray()));
    }
    KMeansPlusPlusClusterer<IndexedPoint> kmeans = new KMeansPlusPlusClusterer<>(k, maxIterations,
        new EuclideanDistance(), new Well19937c(restartSeed));
    List<CentroidCluster<IndexedPoint>> clusters = kmeans.cluster(rows);
    int[] assignment = new int[points.size()];
    Vector[] centers = new Vector[clusters.size()];
    for (int c = 0; c < clusters.size(); c++) {
      centers[c] = Vectors.dense(clusters.get(c).getCenter().getPoint());
      for (IndexedPoint row : clusters.get(c).getPoints()) {
        assignment[row.index()] = c;
      }
    }
    return new Fit(assignment, centers);
  }

  /** A row of the feature matrix as Commons Math clusters it; {@code index} is its row number. */
  private record IndexedPoint(int index, double[] coordinates) implements Clusterable {
    @Override
    public double[] getPoint() {
      return coordinates;
    }
  }

  /**
   * Fits bisecting k-means, then refines its leaf centers with k-means (Lloyd) iterations so
   * that every row ends in the cluster of its nearest center.
   *
   * <p>Spark 3.5.7 assigns a row by walking down the split tree, so a row cut off by an early
   * split never reaches a closer leaf in another branch. The first split cuts through a profile
   * that lies in the middle of the data, and which of its people fall on the far side changes
   * from period to period, so they would change segment with an unchanged profile. The
   * bisecting leaves stay the start of the refinement, which is what sets this algorithm apart
   * from {@link #kmeans}.
   */
  private Fit bisecting(int k) {
    Dataset<Row> features = features(BISECTING_SHIFT);
    BisectingKMeansModel tree = new BisectingKMeans().setK(k).setSeed(seed).setMaxIter(maxIterations)
        .fit(features);
    Vector[] leaves = Arrays.stream(tree.clusterCenters()).map(c -> shift(c, -BISECTING_SHIFT))
        .toArray(Vector[]::new);
    return refine(leaves);
  }

  /**
   * Runs k-means from the {@code start} centers. It uses the RDD-based KMeans because the
   * DataFrame-based one of Spark 3.5.7 takes no start centers.
   */
  private Fit refine(Vector[] start) {
    JavaRDD<org.apache.spark.mllib.linalg.Vector> data = mllibPoints().cache();
    try {
      org.apache.spark.mllib.clustering.KMeansModel initial = new org.apache.spark.mllib.clustering.KMeansModel(
          Arrays.stream(start).map(org.apache.spark.mllib.linalg.Vectors::fromML)
              .toArray(org.apache.spark.mllib.linalg.Vector[]::new));
      org.apache.spark.mllib.clustering.KMeansModel model = new org.apache.spark.mllib.clustering.KMeans()
          .setK(start.length).setMaxIterations(maxIterations).setInitialModel(initial)
          .run(data.rdd());
      int[] assignment = model.predict(data).collect().stream().mapToInt(Integer::intValue).toArray();
      Vector[] centers = Arrays.stream(model.clusterCenters()).map(org.apache.spark.mllib.linalg.Vector::asML)
          .toArray(Vector[]::new);
      return new Fit(assignment, centers);
    } finally {
      data.unpersist(false);
    }
  }

  /**
   * Fits a Gaussian mixture with full covariances, started from the best k-means fit of the
   * same k over the restarts. Spark's own start (means of random samples) often merges two
   * planted profiles and splits a third, and the RDD-based GaussianMixture is the one that
   * accepts a start model. {@code start} is that k-means fit.
   */
  private Fit gmm(int k, Fit start) {
    GaussianMixtureModel initial = startModel(start, k);
    JavaRDD<org.apache.spark.mllib.linalg.Vector> data = mllibPoints();
    GaussianMixtureModel model = new GaussianMixture().setK(k).setSeed(seed).setMaxIterations(maxIterations)
        .setInitialModel(initial).run(data);
    List<Integer> predicted = model.predict(data).collect();
    int[] assignment = predicted.stream().mapToInt(Integer::intValue).toArray();
    Vector[] centers = Arrays.stream(model.gaussians()).map(g -> g.mu().asML()).toArray(Vector[]::new);
    return new Fit(assignment, centers);
  }

  /** Weights from cluster sizes, means from the centers, covariances of each cluster's members. */
  private GaussianMixtureModel startModel(Fit start, int k) {
    int n = points.size();
    int width = points.get(0).size();
    double[] weights = new double[k];
    MultivariateGaussian[] gaussians = new MultivariateGaussian[k];
    for (int c = 0; c < k; c++) {
      double[] mean = start.centers()[c].toArray();
      double[] covariance = new double[width * width];
      int size = 0;
      for (int i = 0; i < n; i++) {
        if (start.assignment()[i] != c) {
          continue;
        }
        size++;
        double[] x = points.get(i).toArray();
        for (int a = 0; a < width; a++) {
          for (int b = 0; b < width; b++) {
            covariance[a * width + b] += (x[a] - mean[a]) * (x[b] - mean[b]);
          }
        }
      }
      for (int a = 0; a < width; a++) {
        for (int b = 0; b < width; b++) {
          covariance[a * width + b] = size > 1 ? covariance[a * width + b] / size : (a == b ? 1.0 : 0.0);
        }
        covariance[a * width + a] += COVARIANCE_RIDGE;
      }
      // Laplace smoothing keeps an empty k-means cluster from getting weight 0.
      weights[c] = (size + 1.0) / (n + k);
      gaussians[c] = new MultivariateGaussian(org.apache.spark.mllib.linalg.Vectors.dense(mean),
          new DenseMatrix(width, width, covariance));
    }
    return new GaussianMixtureModel(weights, gaussians);
  }

  /** Returns the rows as an RDD of the RDD-based API's vectors, in row order. */
  private JavaRDD<org.apache.spark.mllib.linalg.Vector> mllibPoints() {
    return JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(points.stream().map(org.apache.spark.mllib.linalg.Vectors::fromML).toList());
  }

  private Dataset<Row> features(double shift) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      rows.add(RowFactory.create(i, shift(points.get(i), shift)));
    }
    return spark.createDataFrame(rows, new StructType(new StructField[] {
        DataTypes.createStructField("row", DataTypes.IntegerType, false),
        DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)}));
  }

  private static Vector shift(Vector vector, double amount) {
    double[] values = vector.toArray().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] += amount;
    }
    return Vectors.dense(values);
  }
}
