package org.consultscore.scoring;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;
import org.consultscore.config.MetricCatalog;
import org.consultscore.config.ScoringConfig;

/**
 * The scoring stage. From the metrics of each (consultant, period) it computes, in order:
 * <ol>
 *   <li>eligibility (sessions >= min_sessions);
 *   <li>shrunk values and 0-100 metric scores within the peer group;
 *   <li>dimension scores: the weighted mean of the available metric scores;
 *   <li>the dimension weights of each period (weighting.method, see {@link DimensionWeights});
 *   <li>coverage and the composite: the weighted mean of the available dimension scores,
 *       null below min_coverage;
 *   <li>ranks in the peer group and overall, percentile and grade;
 *   <li>explanations: contributions, strongest and weakest dimension, coaching focus,
 *       incentive candidate;
 *   <li>trend against the previous period's composite.
 * </ol>
 */
public final class Scoring {
  private static final double EPSILON = 1e-9;

  private final ScoringConfig rules;
  private final String grain;

  private Scoring(ScoringConfig rules, String grain) {
    this.rules = rules;
    this.grain = grain;
  }

  /**
   * The scores (one row per consultant and period, consultant_scores) and the weights used
   * (score_weights: per period, each dimension's weight and each metric's share).
   */
  public record Result(Dataset<Row> scores, Dataset<Row> weights) {}

  /** Scores the metrics; see {@link #score}. */
  public static Dataset<Row> run(Dataset<Row> metrics, ScoringConfig rules, String grain,
      Dataset<Row> previousComposites) {
    return score(metrics, rules, grain, previousComposites).scores();
  }

  /**
   * Scores the metrics. The scores come back persisted and computed.
   *
   * @param previousComposites earlier published scores (consultant_id, period_start,
   *     composite), or null; used for the trend when the previous period is not in this run
   */
  public static Result score(Dataset<Row> metrics, ScoringConfig rules, String grain,
      Dataset<Row> previousComposites) {
    Scoring scoring = new Scoring(rules, grain);
    Dataset<Row> eligible = metrics
        .withColumn(ScoringColumns.ELIGIBLE, col("sessions").geq(rules.minSessions()));
    // Checkpointed because objective weights read the dimension scores before the composite
    // does, and because the metric scores' plan (a few window operators per metric) would
    // otherwise be planned again, whole, inside each later query of this stage.
    Dataset<Row> dimensionScores = scoring.dimensions(MetricScores.add(eligible, rules, rules.peerGroup()))
        .localCheckpoint();
    List<DimensionWeights.PeriodWeights> weights = DimensionWeights.perPeriod(dimensionScores, rules);
    Dataset<Row> scored = dimensionScores;
    for (String dimension : rules.dimensions().keySet()) {
      scored = scored.withColumn(weight(dimension), DimensionWeights.weightColumn(weights, dimension));
    }
    scored = scoring.composite(scored);
    scored = scoring.ranks(scored);
    scored = scoring.grades(scored);
    scored = scoring.explanations(scored);
    scored = scoring.trend(scored, previousComposites);
    Dataset<Row> result = scoring.select(scored).persist(StorageLevel.MEMORY_AND_DISK());
    result.count();
    return new Result(result, DimensionWeights.table(metrics.sparkSession(), grain, weights, rules));
  }

  /** Returns the name of the column that contains a dimension's weight in the row's period. */
  private static String weight(String dimension) {
    return "_weight_" + dimension;
  }

  private Dataset<Row> dimensions(Dataset<Row> rows) {
    Dataset<Row> result = rows;
    for (String dimension : rules.dimensions().keySet()) {
      Column weighted = lit(0.0);
      Column weights = lit(0.0);
      for (ScoringConfig.MetricRule metric : rules.metricsOf(dimension)) {
        Column score = col(MetricScores.score(metric.metric()));
        weighted = weighted.plus(when(score.isNotNull(), score.multiply(metric.weight())).otherwise(0.0));
        weights = weights.plus(when(score.isNotNull(), lit(metric.weight())).otherwise(0.0));
      }
      result = result.withColumn(ScoringColumns.dimensionScore(dimension),
          when(weights.gt(0), weighted.divide(weights)));
    }
    return result;
  }

  /** Composite and coverage with the period's dimension weights (weights sum to 1 per period). */
  private Dataset<Row> composite(Dataset<Row> rows) {
    Column weighted = lit(0.0);
    Column coverage = lit(0.0);
    Column anyScore = lit(false);
    for (String dimension : rules.dimensions().keySet()) {
      Column score = col(ScoringColumns.dimensionScore(dimension));
      Column weight = col(weight(dimension));
      weighted = weighted.plus(when(score.isNotNull(), score.multiply(weight)).otherwise(0.0));
      coverage = coverage.plus(when(score.isNotNull(), weight).otherwise(0.0));
      anyScore = anyScore.or(score.isNotNull());
    }
    Column eligible = col(ScoringColumns.ELIGIBLE);
    Column covered = col(ScoringColumns.COVERAGE).geq(rules.minCoverage() - EPSILON);
    Column reason = when(eligible.equalTo(false), concat(lit("not_eligible: "), col("sessions").cast("string"),
            lit(" sessions < min_sessions " + rules.minSessions())))
        .when(anyScore.equalTo(false), lit("no_scores: no dimension has a metric score"))
        .when(covered.equalTo(false), concat(lit("low_coverage: "), format_number(col(ScoringColumns.COVERAGE), 2),
            lit(" < min_coverage " + rules.minCoverage())));
    return rows
        .withColumn(ScoringColumns.COVERAGE, when(eligible, coverage))
        .withColumn(ScoringColumns.COMPOSITE, when(eligible.and(covered).and(col(ScoringColumns.COVERAGE).gt(0)),
            weighted.divide(col(ScoringColumns.COVERAGE))))
        .withColumn(ScoringColumns.REASON, reason);
  }

  /** Ranks by composite (1 = best, ties share the rank) and the percentile of the composite. */
  private Dataset<Row> ranks(Dataset<Row> rows) {
    Column composite = col(ScoringColumns.COMPOSITE);
    Column[] peerKey = MetricScores.peerKey(rules.peerGroup());
    WindowSpec peers = Window.partitionBy(peerKey);
    WindowSpec period = Window.partitionBy(col("period_grain"), col("period_start"));
    Column scoredPeers = count(composite).over(peers);
    // Average rank of ties, as for metric scores: lowest rank in ascending order and highest
    // rank derived from the descending order.
    Column lowestRank = rank().over(peers.orderBy(composite.asc_nulls_last()));
    Column highestRank = scoredPeers.plus(1).minus(rank().over(peers.orderBy(composite.desc_nulls_last())));
    Column averageRank = lowestRank.plus(highestRank).divide(2.0);
    Column percentile = when(scoredPeers.equalTo(1), lit(50.0))
        .otherwise(averageRank.minus(1).multiply(100.0).divide(scoredPeers.minus(1)));
    return rows
        .withColumn("scored_peers", when(composite.isNotNull(), scoredPeers))
        .withColumn("rank_in_peer_group", when(composite.isNotNull(), rank().over(peers.orderBy(composite.desc_nulls_last()))))
        .withColumn("rank_overall", when(composite.isNotNull(), rank().over(period.orderBy(composite.desc_nulls_last()))))
        .withColumn("percentile", when(composite.isNotNull(), percentile));
  }

  /**
   * Forced distribution: a person's position is the share of peers ranked strictly above
   * them, (rank - 1) / n, and the grade is the first whose cumulative share exceeds it, so
   * tied people share a grade. Thresholds: the first grade whose minimum composite is met.
   */
  private Dataset<Row> grades(Dataset<Row> rows) {
    Column composite = col(ScoringColumns.COMPOSITE);
    Column grade;
    if ("thresholds".equals(rules.gradeMethod())) {
      grade = lit("D");
      List<Map.Entry<String, Double>> thresholds = new ArrayList<>(rules.gradeThresholds().entrySet());
      for (int i = thresholds.size() - 1; i >= 0; i--) {
        grade = when(composite.geq(thresholds.get(i).getValue()), lit(thresholds.get(i).getKey())).otherwise(grade);
      }
    } else {
      Column position = col("rank_in_peer_group").minus(1).divide(col("scored_peers").cast("double"));
      grade = lit(ScoringConfig.GRADES.get(ScoringConfig.GRADES.size() - 1));
      List<Map.Entry<String, Double>> shares = new ArrayList<>(rules.forcedDistribution().entrySet());
      double cumulative = 0;
      List<Column> conditions = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Map.Entry<String, Double> share : shares) {
        cumulative += share.getValue();
        conditions.add(position.lt(cumulative - EPSILON));
        names.add(share.getKey());
      }
      for (int i = conditions.size() - 1; i >= 0; i--) {
        grade = when(conditions.get(i), lit(names.get(i))).otherwise(grade);
      }
    }
    return rows.withColumn("grade", when(composite.isNotNull(), grade));
  }

  /**
   * Contribution of dimension d: w_d * (D_d - peer mean of D_d), with w_d re-normalized over
   * the row's available dimensions and the peer mean taken over the scored peers that have
   * D_d. When every dimension is present the contributions add up to the composite minus
   * sum_d w_d * (peer mean of D_d). That equals the peer-group mean composite only when every
   * scored peer has every dimension.
   */
  private Dataset<Row> explanations(Dataset<Row> rows) {
    Column scored = col(ScoringColumns.COMPOSITE).isNotNull();
    WindowSpec peers = Window.partitionBy(MetricScores.peerKey(rules.peerGroup()));
    Dataset<Row> result = rows;
    List<Column> gaps = new ArrayList<>();
    for (ScoringConfig.DimensionRule dimension : rules.dimensions().values()) {
      Column score = col(ScoringColumns.dimensionScore(dimension.name()));
      Column peerMean = avg(when(scored, score)).over(peers);
      Column gap = score.minus(peerMean);
      Column weight = col(weight(dimension.name())).divide(col(ScoringColumns.COVERAGE));
      result = result
          .withColumn("_gap_" + dimension.name(), when(scored, gap))
          .withColumn(ScoringColumns.contribution(dimension.name()), when(scored, weight.multiply(gap)));
      Column gapColumn = col("_gap_" + dimension.name());
      gaps.add(when(gapColumn.isNotNull(), struct(gapColumn.as("gap"), lit(dimension.name()).as("dimension"))));
    }
    Column[] gapArray = gaps.toArray(new Column[0]);
    Column strongest = gaps.size() == 1 ? gapArray[0] : greatest(gapArray);
    Column weakest = gaps.size() == 1 ? gapArray[0] : least(gapArray);
    result = result
        .withColumn("strongest_dimension", strongest.getField("dimension"))
        .withColumn("weakest_dimension", weakest.getField("dimension"));
    Column coachingEn = lit(null).cast("string");
    Column coachingZh = lit(null).cast("string");
    for (ScoringConfig.DimensionRule dimension : rules.dimensions().values()) {
      Column isWeakest = col("weakest_dimension").equalTo(dimension.name());
      coachingEn = when(isWeakest, lit(dimension.coachingEn())).otherwise(coachingEn);
      coachingZh = when(isWeakest, lit(dimension.coachingZh())).otherwise(coachingZh);
    }
    return result
        .withColumn("coaching_focus_en", coachingEn)
        .withColumn("coaching_focus_zh", coachingZh)
        .withColumn("incentive_candidate", when(scored, col("grade").isin(rules.incentiveGrades().toArray())))
        .drop(rules.dimensions().keySet().stream().map(d -> "_gap_" + d).toArray(String[]::new));
  }

  /** Adds the previous period's composite, from this run when it contains that period, else from the published scores. */
  private Dataset<Row> trend(Dataset<Row> rows, Dataset<Row> published) {
    Dataset<Row> previous = rows.select(col("consultant_id"), col("period_start"), col(ScoringColumns.COMPOSITE));
    if (published != null) {
      Dataset<Row> inRun = previous.select("period_start").distinct();
      Dataset<Row> older = published
          .join(inRun, published.col("period_start").equalTo(inRun.col("period_start")), "left_anti")
          .select(col("consultant_id"), col("period_start"), col(ScoringColumns.COMPOSITE));
      previous = previous.unionByName(older);
    }
    Dataset<Row> renamed = previous.select(
        col("consultant_id").as("_previous_consultant"),
        col("period_start").as("_previous_start"),
        col(ScoringColumns.COMPOSITE).as("previous_composite"));
    return rows
        .join(renamed, col("consultant_id").equalTo(col("_previous_consultant"))
            .and(previousStart(grain).equalTo(col("_previous_start"))), "left")
        .withColumn("composite_change", col(ScoringColumns.COMPOSITE).minus(col("previous_composite")))
        .drop("_previous_consultant", "_previous_start");
  }

  /** Returns the start of the period before the row's period_start, for the given grain. */
  static Column previousStart(String grain) {
    return switch (grain) {
      case "day" -> date_sub(col("period_start"), 1);
      case "week" -> date_sub(col("period_start"), 7);
      default -> add_months(col("period_start"), -1);
    };
  }

  /** Fixed column order; every known metric and dimension has its columns, null when not configured. */
  private Dataset<Row> select(Dataset<Row> rows) {
    List<Column> columns = new ArrayList<>(List.of(
        col("period_grain"), col("period_start"), col("consultant_id"), col("display_name"),
        col("team_id"), col("business_line"), col("level"), col("sessions"), col("is_final"),
        col(ScoringColumns.ELIGIBLE), col(ScoringColumns.COVERAGE), col(ScoringColumns.COMPOSITE),
        col("rank_in_peer_group"), col("rank_overall"), col("scored_peers"), col("percentile"), col("grade"),
        col("previous_composite"), col("composite_change")));
    for (String dimension : ScoringConfig.DIMENSIONS) {
      columns.add(existingOrNull(rows, ScoringColumns.dimensionScore(dimension)));
      columns.add(existingOrNull(rows, ScoringColumns.contribution(dimension)));
    }
    for (MetricCatalog.Metric metric : MetricCatalog.all()) {
      if (metric.kind() != MetricCatalog.Kind.COUNT) {
        columns.add(existingOrNull(rows, MetricScores.shrunk(metric.name())));
        columns.add(existingOrNull(rows, MetricScores.score(metric.name())));
      }
    }
    columns.addAll(List.of(
        col("strongest_dimension"), col("weakest_dimension"), col("coaching_focus_en"),
        col("coaching_focus_zh"), col("incentive_candidate"), col(ScoringColumns.REASON)));
    return rows.select(columns.toArray(new Column[0]));
  }

  private static Column existingOrNull(Dataset<Row> rows, String name) {
    return List.of(rows.columns()).contains(name) ? col(name).cast("double").as(name) : lit(null).cast("double").as(name);
  }
}
