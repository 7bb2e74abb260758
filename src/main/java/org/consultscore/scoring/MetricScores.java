package org.consultscore.scoring;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.consultscore.config.MetricCatalog;
import org.consultscore.config.ScoringConfig;

/**
 * Per scored metric: the shrunk value {@code <metric>_shrunk} and the 0-100 score
 * {@code <metric>_score}, computed among the eligible rows of the same period and peer group
 * with the metric's normalization: percentile, zscore, minmax or target. Ineligible rows and
 * rows without a value get no score.
 */
final class MetricScores {
  /** Percentiles of the peer group that bound the minmax normalization, in percent. */
  static final int MINMAX_LOW_PERCENT = 5;
  static final int MINMAX_HIGH_PERCENT = 95;
  /** z is clipped to [-Z_LIMIT, Z_LIMIT] before Phi. */
  static final double Z_LIMIT = 3.0;
  /** A peer group whose standard deviation is at most this share of |mean| (or 1) counts as constant. */
  private static final double CONSTANT_TOLERANCE = 1e-12;

  private MetricScores() {}

  static Dataset<Row> add(Dataset<Row> rows, ScoringConfig rules, List<String> peerColumns) {
    Dataset<Row> scored = rows;
    for (ScoringConfig.MetricRule rule : rules.metrics().values()) {
      scored = shrink(scored, rule, peerColumns);
      scored = switch (rule.normalization()) {
        case "zscore" -> zscoreScore(scored, rule, peerColumns);
        case "minmax" -> minmaxScore(scored, rule, peerColumns);
        case "target" -> targetScore(scored, rule);
        default -> percentileScore(scored, rule, peerColumns);
      };
    }
    return scored;
  }

  /**
   * Shrinks a rate or mean backed by n observations toward its peer-group mean mu:
   * x' = (n * x + m * mu) / (n + m), with prior strength m. mu is the observation-weighted
   * mean of the eligible peers, so a peer with 300 surveys weighs more than one with 3.
   */
  static Dataset<Row> shrink(Dataset<Row> rows, ScoringConfig.MetricRule rule, List<String> peerColumns) {
    String metric = rule.metric();
    Column value = col(metric);
    if (rule.priorStrength() <= 0) {
      return rows.withColumn(shrunk(metric), value.cast("double"));
    }
    Column observations = col(MetricCatalog.get(metric).observationsColumn()).cast("double");
    Column counted = col(ScoringColumns.ELIGIBLE).and(value.isNotNull());
    WindowSpec peers = Window.partitionBy(peerKey(peerColumns));
    Column peerMean = sum(when(counted, observations.multiply(value))).over(peers)
        .divide(sum(when(counted, observations)).over(peers));
    double prior = rule.priorStrength();
    Column shrunkValue = observations.multiply(value).plus(peerMean.multiply(prior))
        .divide(observations.plus(prior));
    return rows.withColumn(shrunk(metric), when(value.isNotNull(), shrunkValue));
  }

  /**
   * Percentile score 100 * (r - 1) / (n - 1), r the average rank of the shrunk value among
   * the n eligible values of the peer group (reversed when lower is better); n = 1 gives 50.
   */
  static Dataset<Row> percentileScore(Dataset<Row> rows, ScoringConfig.MetricRule rule, List<String> peerColumns) {
    String metric = rule.metric();
    Column candidate = when(col(ScoringColumns.ELIGIBLE), col(shrunk(metric)));
    Dataset<Row> withCandidate = rows.withColumn("_candidate", candidate);
    Column better = rule.lowerIsBetter() ? col("_candidate").desc_nulls_last() : col("_candidate").asc_nulls_last();
    Column worse = rule.lowerIsBetter() ? col("_candidate").asc_nulls_last() : col("_candidate").desc_nulls_last();
    WindowSpec peers = Window.partitionBy(peerKey(peerColumns));
    Column n = count(col("_candidate")).over(peers);
    // Ties get their average rank: the mean of the lowest rank of the tie (rank in one
    // order) and its highest (n + 1 - rank in the other order). Both windows share the peer
    // partitioning, so no extra shuffle per metric. Null candidates sort last in both
    // orders and get no score.
    Column lowestRank = rank().over(peers.orderBy(better));
    Column highestRank = n.plus(1).minus(rank().over(peers.orderBy(worse)));
    Column averageRank = lowestRank.plus(highestRank).divide(2.0);
    Column score = when(n.equalTo(1), lit(50.0))
        .otherwise(averageRank.minus(1).multiply(100.0).divide(n.minus(1)));
    return withCandidate
        .withColumn(score(metric), when(col("_candidate").isNotNull(), score))
        .drop("_candidate");
  }

  /**
   * zscore: 100 * Phi(z), z = (x' - mean) / population standard deviation of the eligible
   * shrunk values of the peer group, clipped to [-3, 3] and negated when lower is better. A
   * group whose deviation is 0 (one person, or everyone equal) scores 50.
   */
  static Dataset<Row> zscoreScore(Dataset<Row> rows, ScoringConfig.MetricRule rule, List<String> peerColumns) {
    String metric = rule.metric();
    WindowSpec peers = Window.partitionBy(peerKey(peerColumns));
    Column candidate = col("_candidate");
    Column mean = col("_mean");
    Column deviation = col("_deviation");
    Column z = candidate.minus(mean).divide(deviation);
    if (rule.lowerIsBetter()) {
      z = z.multiply(-1.0);
    }
    Column clipped = greatest(lit(-Z_LIMIT), least(lit(Z_LIMIT), z));
    Column constant = deviation.leq(greatest(lit(1.0), abs(mean)).multiply(CONSTANT_TOLERANCE));
    Dataset<Row> withZ = rows
        .withColumn("_candidate", when(col(ScoringColumns.ELIGIBLE), col(shrunk(metric))))
        .withColumn("_mean", avg(candidate).over(peers))
        .withColumn("_deviation", stddev_pop(candidate).over(peers))
        .withColumn("_z", when(candidate.isNotNull().and(constant.equalTo(false)), clipped));
    Column score = when(candidate.isNull(), lit(null).cast("double"))
        .when(col("_z").isNull(), lit(50.0))
        .otherwise(NormalCdf.of(col("_z")).multiply(100.0));
    return withZ.withColumn(score(metric), score).drop("_candidate", "_mean", "_deviation", "_z");
  }

  /**
   * minmax: x' is clipped to [lo, hi], the 5th and 95th percentiles of the eligible shrunk
   * values of the peer group, then scored 100 * (x' - lo) / (hi - lo) (100 * (hi - x') /
   * (hi - lo) when lower is better); hi = lo scores 50. The q-th percentile of n values is
   * exact, by the nearest-rank rule: the value at rank ceil(q * n) in ascending order (at
   * least rank 1), as percentile_disc.
   */
  static Dataset<Row> minmaxScore(Dataset<Row> rows, ScoringConfig.MetricRule rule, List<String> peerColumns) {
    String metric = rule.metric();
    WindowSpec peers = Window.partitionBy(peerKey(peerColumns));
    Column candidate = col("_candidate");
    Column position = col("_position");
    Column n = col("_n");
    Dataset<Row> bounded = rows
        .withColumn("_candidate", when(col(ScoringColumns.ELIGIBLE), col(shrunk(metric))))
        .withColumn("_n", count(candidate).over(peers))
        .withColumn("_position", row_number().over(peers.orderBy(candidate.asc_nulls_last())))
        .withColumn("_lo", max(when(candidate.isNotNull().and(position.equalTo(nearestRank(n, MINMAX_LOW_PERCENT))),
            candidate)).over(peers))
        .withColumn("_hi", max(when(candidate.isNotNull().and(position.equalTo(nearestRank(n, MINMAX_HIGH_PERCENT))),
            candidate)).over(peers));
    Column lo = col("_lo");
    Column hi = col("_hi");
    Column clipped = least(greatest(candidate, lo), hi);
    Column range = hi.minus(lo);
    Column scaled = rule.lowerIsBetter() ? hi.minus(clipped).divide(range) : clipped.minus(lo).divide(range);
    Column score = when(candidate.isNull(), lit(null).cast("double"))
        .when(range.leq(0), lit(50.0))
        .otherwise(scaled.multiply(100.0));
    return bounded.withColumn(score(metric), score).drop("_candidate", "_n", "_position", "_lo", "_hi");
  }

  /**
   * The nearest rank ceil(percent / 100 * n), at least 1, in exact integer arithmetic:
   * floor((percent * n + 99) / 100), where the division of two integers below 2^53 rounds
   * correctly, so floor never falls on the wrong side of a whole number.
   */
  static Column nearestRank(Column n, int percent) {
    return greatest(lit(1L), floor(n.multiply(percent).plus(99).divide(100.0)));
  }

  /**
   * target: 100 * clamp((x' - floor) / (target - floor), 0, 1). A target below the floor
   * (lower is better) works the same way: the ratio is 1 at the target and 0 at the floor.
   */
  static Dataset<Row> targetScore(Dataset<Row> rows, ScoringConfig.MetricRule rule) {
    String metric = rule.metric();
    Column candidate = when(col(ScoringColumns.ELIGIBLE), col(shrunk(metric)));
    Column ratio = candidate.minus(rule.floor()).divide(rule.target() - rule.floor());
    Column clamped = least(lit(1.0), greatest(lit(0.0), ratio));
    return rows.withColumn(score(metric), when(candidate.isNotNull(), clamped.multiply(100.0)));
  }

  static Column[] peerKey(List<String> peerColumns) {
    List<Column> key = new ArrayList<>();
    key.add(col("period_grain"));
    key.add(col("period_start"));
    peerColumns.forEach(c -> key.add(col(c)));
    return key.toArray(new Column[0]);
  }

  static String shrunk(String metric) {
    return metric + "_shrunk";
  }

  static String score(String metric) {
    return metric + "_score";
  }
}
