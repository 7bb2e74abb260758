package org.consultscore.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rank;
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
 * {@code <metric>_score}, computed among the eligible rows of the same period and peer group.
 */
final class MetricScores {
  private MetricScores() {}

  static Dataset<Row> add(Dataset<Row> rows, ScoringConfig rules, List<String> peerColumns) {
    Dataset<Row> scored = rows;
    for (ScoringConfig.MetricRule rule : rules.metrics().values()) {
      scored = shrink(scored, rule, peerColumns);
      scored = percentileScore(scored, rule, peerColumns);
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
