package org.consultscore.scoring;

import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.config.ScoringConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dimension weights of each period (weighting.method) and the score_weights table.
 *
 * <p>expert and ahp weights come from the rules. entropy and critic weights are computed per
 * period on the driver from the dimension scores of the period's eligible rows (one row per
 * consultant, so the data is small). A dimension's statistics use the rows that have a score
 * in it; CRITIC's correlations use the rows that have both. A period whose objective weights
 * cannot be computed (fewer than two rows, or no variation at all) falls back to the expert
 * weights when the rules give them, else to equal weights, with a warning, and the table
 * records the method actually used.
 */
final class DimensionWeights {
  private static final Logger LOG = LoggerFactory.getLogger(DimensionWeights.class);
  private static final double NO_INFORMATION = 1e-12;

  /** Columns of score_weights before publish stamps run_id and rules_version. */
  static final StructType SCHEMA = new StructType()
      .add("period_grain", DataTypes.StringType, false)
      .add("period_start", DataTypes.DateType, false)
      .add("level", DataTypes.StringType, false)
      .add("name", DataTypes.StringType, false)
      .add("dimension", DataTypes.StringType, false)
      .add("weight", DataTypes.DoubleType, false)
      .add("method", DataTypes.StringType, false);

  /** The weights of one period, by dimension in the rules' order, and the method that gave them. */
  record PeriodWeights(LocalDate periodStart, Map<String, Double> weights, String method) {}

  private DimensionWeights() {}

  /**
   * The weights of every period present in {@code rows}, which hold the dimension score
   * columns and the eligible flag.
   */
  static List<PeriodWeights> perPeriod(Dataset<Row> rows, ScoringConfig rules) {
    List<String> dimensions = new ArrayList<>(rules.dimensions().keySet());
    String objective = rules.weighting().objectiveMethod();
    Map<LocalDate, List<double[]>> byPeriod = new TreeMap<>();
    if (objective == null) {
      for (Row row : rows.select("period_start").distinct().collectAsList()) {
        byPeriod.put(row.getDate(0).toLocalDate(), List.of());
      }
    } else {
      List<Column> columns = new ArrayList<>();
      columns.add(col("period_start"));
      columns.add(col(ScoringColumns.ELIGIBLE));
      dimensions.forEach(d -> columns.add(col(ScoringColumns.dimensionScore(d)).cast("double")));
      for (Row row : rows.select(columns.toArray(new Column[0])).collectAsList()) {
        List<double[]> values = byPeriod.computeIfAbsent(row.getDate(0).toLocalDate(), p -> new ArrayList<>());
        if (row.getBoolean(1)) {
          double[] scores = new double[dimensions.size()];
          for (int d = 0; d < scores.length; d++) {
            scores[d] = row.isNullAt(2 + d) ? Double.NaN : row.getDouble(2 + d);
          }
          values.add(scores);
        }
      }
    }
    List<PeriodWeights> result = new ArrayList<>();
    byPeriod.forEach((period, values) -> result.add(forPeriod(period, values, rules, dimensions)));
    return result;
  }

  private static PeriodWeights forPeriod(LocalDate period, List<double[]> values, ScoringConfig rules,
      List<String> dimensions) {
    ScoringConfig.Weighting weighting = rules.weighting();
    double[] expert = dimensions.stream().mapToDouble(d -> rules.dimensions().get(d).weight()).toArray();
    switch (weighting.method()) {
      case "expert":
        return weights(period, dimensions, expert, "expert");
      case "ahp":
        return weights(period, dimensions,
            dimensions.stream().mapToDouble(d -> weighting.ahpWeights().get(d)).toArray(), "ahp");
      default:
        break;
    }
    double[][] matrix = values.toArray(new double[0][]);
    String objective = weighting.objectiveMethod();
    double[] computed = "entropy".equals(objective) ? entropy(matrix, dimensions.size())
        : critic(matrix, dimensions.size());
    if (computed == null) {
      boolean hasExpert = rules.hasExpertWeights();
      LOG.warn("Period {}: {} weights cannot be computed from {} eligible rows (fewer than 2, or no variation);"
          + " using {} weights", period, objective, matrix.length, hasExpert ? "the expert" : "equal");
      if (hasExpert) {
        return weights(period, dimensions, expert, "expert");
      }
      double[] equal = new double[dimensions.size()];
      java.util.Arrays.fill(equal, 1.0 / equal.length);
      return weights(period, dimensions, equal, "equal");
    }
    if ("blend".equals(weighting.method())) {
      double alpha = weighting.blendAlpha();
      double[] blended = new double[computed.length];
      for (int d = 0; d < blended.length; d++) {
        blended[d] = alpha * expert[d] + (1 - alpha) * computed[d];
      }
      return weights(period, dimensions, blended, "blend");
    }
    return weights(period, dimensions, computed, objective);
  }

  private static PeriodWeights weights(LocalDate period, List<String> dimensions, double[] values, String method) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int d = 0; d < dimensions.size(); d++) {
      map.put(dimensions.get(d), values[d]);
    }
    LOG.info("Period {}: dimension weights ({}) {}", period, method, format(map));
    return new PeriodWeights(period, map, method);
  }

  private static String format(Map<String, Double> weights) {
    StringBuilder text = new StringBuilder();
    weights.forEach((d, w) -> text.append(text.length() == 0 ? "" : ", ")
        .append(d).append(String.format(Locale.ROOT, " %.4f", w)));
    return text.toString();
  }

  /**
   * Entropy weights of the columns of {@code x} (rows are people, NaN is a missing score):
   * p_ij = x_ij / sum_i x_ij, e_j = -(1 / ln n_j) * sum_i p_ij ln p_ij (0 ln 0 = 0),
   * w_j = (1 - e_j) / sum_k (1 - e_k), n_j the number of scores in column j. A column with
   * fewer than 2 scores or a zero sum carries no information (e_j = 1). Null when no column
   * carries any.
   */
  static double[] entropy(double[][] x, int columns) {
    double[] information = new double[columns];
    double total = 0;
    for (int j = 0; j < columns; j++) {
      int n = 0;
      double sum = 0;
      for (double[] row : x) {
        if (!Double.isNaN(row[j])) {
          n++;
          sum += row[j];
        }
      }
      double e = 1;
      if (n >= 2 && sum > 0) {
        double plogp = 0;
        for (double[] row : x) {
          if (!Double.isNaN(row[j]) && row[j] > 0) {
            double p = row[j] / sum;
            plogp += p * Math.log(p);
          }
        }
        e = Math.min(1, Math.max(0, -plogp / Math.log(n)));
      }
      information[j] = 1 - e;
      total += information[j];
    }
    return normalize(information, total);
  }

  /**
   * CRITIC weights: C_j = sigma_j * sum_k (1 - r_jk), w_j = C_j / sum_k C_k, sigma_j the
   * population standard deviation of column j and r_jk the Pearson correlation of columns j
   * and k over the rows that have both. A correlation is taken as 0 when fewer than 2 rows
   * have both or either column is constant on them. Null when every C_j is 0.
   */
  static double[] critic(double[][] x, int columns) {
    double[] sigma = new double[columns];
    for (int j = 0; j < columns; j++) {
      sigma[j] = deviation(x, j);
    }
    double[] contrast = new double[columns];
    double total = 0;
    for (int j = 0; j < columns; j++) {
      double conflict = 0;
      for (int k = 0; k < columns; k++) {
        conflict += 1 - (j == k ? 1 : pearson(x, j, k));
      }
      contrast[j] = sigma[j] * conflict;
      total += contrast[j];
    }
    return normalize(contrast, total);
  }

  private static double[] normalize(double[] values, double total) {
    if (!(total > NO_INFORMATION)) {
      return null;
    }
    double[] weights = new double[values.length];
    for (int j = 0; j < values.length; j++) {
      weights[j] = values[j] / total;
    }
    return weights;
  }

  private static double deviation(double[][] x, int j) {
    int n = 0;
    double sum = 0;
    for (double[] row : x) {
      if (!Double.isNaN(row[j])) {
        n++;
        sum += row[j];
      }
    }
    if (n < 2) {
      return 0;
    }
    double mean = sum / n;
    double squares = 0;
    for (double[] row : x) {
      if (!Double.isNaN(row[j])) {
        squares += (row[j] - mean) * (row[j] - mean);
      }
    }
    return Math.sqrt(squares / n);
  }

  static double pearson(double[][] x, int j, int k) {
    int n = 0;
    double sumJ = 0;
    double sumK = 0;
    for (double[] row : x) {
      if (!Double.isNaN(row[j]) && !Double.isNaN(row[k])) {
        n++;
        sumJ += row[j];
        sumK += row[k];
      }
    }
    if (n < 2) {
      return 0;
    }
    double meanJ = sumJ / n;
    double meanK = sumK / n;
    double covariance = 0;
    double varianceJ = 0;
    double varianceK = 0;
    for (double[] row : x) {
      if (!Double.isNaN(row[j]) && !Double.isNaN(row[k])) {
        covariance += (row[j] - meanJ) * (row[k] - meanK);
        varianceJ += (row[j] - meanJ) * (row[j] - meanJ);
        varianceK += (row[k] - meanK) * (row[k] - meanK);
      }
    }
    if (varianceJ <= 0 || varianceK <= 0) {
      return 0;
    }
    return Math.max(-1, Math.min(1, covariance / Math.sqrt(varianceJ * varianceK)));
  }

  /**
   * The weight column of one dimension: its weight in each row's period. Periods are few
   * (the target and its lookback), so a CASE expression is cheaper than a join.
   */
  static Column weightColumn(List<PeriodWeights> periods, String dimension) {
    Column weight = org.apache.spark.sql.functions.lit(null).cast("double");
    for (PeriodWeights period : periods) {
      weight = org.apache.spark.sql.functions.when(
          col("period_start").equalTo(org.apache.spark.sql.functions.lit(Date.valueOf(period.periodStart()))),
          org.apache.spark.sql.functions.lit(period.weights().get(dimension))).otherwise(weight);
    }
    return weight;
  }

  /**
   * The score_weights rows: per period one row per dimension (its weight in the composite
   * and the method) and one per metric (its share of its dimension: the configured weight
   * over the sum of the dimension's metric weights, method expert; a person's dimension
   * score re-normalizes these over the metrics they have).
   */
  static Dataset<Row> table(SparkSession spark, String grain, List<PeriodWeights> periods, ScoringConfig rules) {
    List<Row> rows = new ArrayList<>();
    for (PeriodWeights period : periods) {
      Date start = Date.valueOf(period.periodStart());
      period.weights().forEach((dimension, weight) ->
          rows.add(RowFactory.create(grain, start, "dimension", dimension, dimension, weight, period.method())));
      for (String dimension : rules.dimensions().keySet()) {
        List<ScoringConfig.MetricRule> metrics = rules.metricsOf(dimension);
        double total = metrics.stream().mapToDouble(ScoringConfig.MetricRule::weight).sum();
        for (ScoringConfig.MetricRule metric : metrics) {
          rows.add(RowFactory.create(grain, start, "metric", metric.metric(), dimension, metric.weight() / total,
              "expert"));
        }
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
