package org.consultscore.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and validates the scoring rules (conf/scoring.conf). Dimension weights that do not
 * sum to 1 are normalized with a warning, because a company writing 30/35/35 means shares.
 * Every other inconsistency is an error naming the key.
 */
public final class ScoringConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringConfigLoader.class);

  static final List<String> DIRECTIONS = List.of("higher", "lower");
  /** Normalizations of this version (see MetricScores). */
  static final List<String> NORMALIZATIONS = List.of("percentile", "zscore", "minmax", "target");
  static final List<String> WEIGHTING_METHODS = List.of("expert", "ahp", "entropy", "critic", "blend");
  /** Methods that compute weights from the period's dimension scores, for weighting.blend.objective. */
  static final List<String> OBJECTIVE_METHODS = List.of("entropy", "critic");
  /** A pairwise judgment and its mirror may differ from exact reciprocals by this share ("0.33" for 1/3). */
  private static final double RECIPROCAL_TOLERANCE = 0.01;
  static final List<String> GRADE_METHODS = List.of("forced_distribution", "thresholds");
  static final List<String> ALGORITHMS = List.of("kmeans", "bisecting_kmeans", "gmm");
  static final List<String> PEER_GROUP_COLUMNS = List.of("business_line", "team_id", "level");

  private static final double WEIGHT_TOLERANCE = 1e-6;

  private ScoringConfigLoader() {}

  public static ScoringConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw Errors.invalidConfig(file.toString(), "scoring_file",
          "scoring rules file not found (set scoring_file in application.conf)");
    }
    String origin = file.toString();
    Config user = ConfigLoader.parse(file);
    Config defaults = ConfigLoader.defaults("scoring-defaults.conf");
    new KeyChecker(defaults, Set.of("metrics")).check(user.root(), origin);
    Config merged = ConfigLoader.resolve(user.withFallback(defaults), origin);

    Map<String, ScoringConfig.MetricRule> metrics = metrics(merged, origin);
    String method = ConfigLoader.oneOf(merged, "weighting.method", WEIGHTING_METHODS, origin);
    Map<String, ScoringConfig.DimensionRule> dimensions = dimensions(merged, metrics, method, origin);

    return new ScoringConfig(
        merged.getString("rules_version"),
        ConfigLoader.positive(merged, "eligibility.min_sessions", origin),
        peerGroup(merged, origin),
        ConfigLoader.fraction(merged, "min_coverage", origin),
        weighting(merged, method, dimensions, origin),
        dimensions,
        metrics,
        ConfigLoader.oneOf(merged, "grades.method", GRADE_METHODS, origin),
        forcedDistribution(merged, origin),
        thresholds(merged, origin),
        incentiveGrades(merged, origin),
        segments(merged, origin));
  }

  private static Map<String, ScoringConfig.MetricRule> metrics(Config merged, String origin) {
    Config metricDefaults = ConfigLoader.defaults("metric-defaults.conf");
    KeyChecker checker = new KeyChecker(metricDefaults, Set.of());
    Map<String, ScoringConfig.MetricRule> rules = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : merged.getObject("metrics").entrySet()) {
      String name = entry.getKey();
      String key = "metrics." + name;
      String where = KeyChecker.describe(entry.getValue(), origin);
      if (!MetricCatalog.contains(name)) {
        throw Errors.invalidConfig(where, key, "unknown metric (metrics of this version: "
            + String.join(", ", MetricCatalog.names()) + ")");
      }
      if (!(entry.getValue() instanceof ConfigObject block)) {
        throw Errors.invalidConfig(where, key, "must be an object { dimension = ..., weight = ... }");
      }
      checker.check(block, where);
      rules.put(name, metric(name, block.toConfig().withFallback(metricDefaults), where));
    }
    return rules;
  }

  private static ScoringConfig.MetricRule metric(String name, Config config, String origin) {
    String prefix = "metrics." + name + ".";
    MetricCatalog.Metric metric = MetricCatalog.get(name);
    String dimension = config.getString("dimension");
    if (!ScoringConfig.DIMENSIONS.contains(dimension)) {
      throw Errors.invalidConfig(origin, prefix + "dimension", "'" + dimension
          + "' is not a dimension (use one of " + String.join(", ", ScoringConfig.DIMENSIONS) + ")");
    }
    double weight = ConfigLoader.get(() -> config.getDouble("weight"), prefix + "weight", origin);
    if (weight < 0) {
      throw Errors.invalidConfig(origin, prefix + "weight", "must not be negative, got " + weight);
    }
    String direction = config.getString("direction").isBlank()
        ? metric.defaultDirection()
        : ConfigLoader.oneOf(config, "direction", DIRECTIONS, origin, prefix);
    String normalization = config.getString("normalization").trim().toLowerCase(Locale.ROOT);
    if (!NORMALIZATIONS.contains(normalization)) {
      throw Errors.invalidConfig(origin, prefix + "normalization", "'" + normalization
          + "' is not supported by this version (supported: " + String.join(", ", NORMALIZATIONS) + ")");
    }
    double prior = ConfigLoader.get(() -> config.getDouble("prior_strength"), prefix + "prior_strength", origin);
    if (prior < 0) {
      prior = defaultPrior(metric);
    } else if (prior > 0 && !metric.kind().shrinkable()) {
      throw Errors.invalidConfig(origin, prefix + "prior_strength",
          "shrinkage applies to rates and means only; " + name + " is a " + metric.kind().name().toLowerCase(Locale.ROOT)
              + ", so set 0");
    }
    Double floor = optionalDouble(config, "floor", prefix, origin);
    Double target = optionalDouble(config, "target", prefix, origin);
    if ("target".equals(normalization)) {
      checkTarget(name, direction, floor, target, prefix, origin);
    } else if (floor != null || target != null) {
      String key = floor != null ? "floor" : "target";
      throw Errors.invalidConfig(origin, prefix + key, "applies only to normalization = target, but "
          + name + " uses " + normalization + "; remove it or set normalization = target");
    }
    return new ScoringConfig.MetricRule(name, dimension, weight, direction, normalization, prior, floor, target);
  }

  /**
   * normalization = target scores 0 at floor and 100 at target. Both are required and must
   * differ; their order must agree with the metric's direction (target above floor when
   * higher is better, below it when lower is better).
   */
  private static void checkTarget(String name, String direction, Double floor, Double target, String prefix,
      String origin) {
    if (floor == null) {
      throw Errors.invalidConfig(origin, prefix + "floor",
          "missing: normalization = target needs floor (the value that scores 0) and target (the value that scores 100)");
    }
    if (target == null) {
      throw Errors.invalidConfig(origin, prefix + "target",
          "missing: normalization = target needs floor (the value that scores 0) and target (the value that scores 100)");
    }
    if (target.doubleValue() == floor.doubleValue()) {
      throw Errors.invalidConfig(origin, prefix + "target", "equals floor (" + floor
          + "); give the value that scores 100 and the value that scores 0 as two different numbers");
    }
    boolean higher = target > floor;
    if (higher == "lower".equals(direction)) {
      throw Errors.invalidConfig(origin, prefix + "target", "target " + target + (higher ? " above" : " below")
          + " floor " + floor + " means " + (higher ? "higher" : "lower") + " is better, but the direction of "
          + name + " is " + direction + "; swap floor and target or set direction = " + (higher ? "higher" : "lower"));
    }
  }

  private static Double optionalDouble(Config config, String key, String prefix, String origin) {
    if (config.getIsNull(key)) {
      return null;
    }
    double value = ConfigLoader.get(() -> config.getDouble(key), prefix + key, origin);
    if (!Double.isFinite(value)) {
      throw Errors.invalidConfig(origin, prefix + key, "must be a finite number, got " + value);
    }
    return value;
  }

  /** 20 for rates over sessions, 10 for survey-based rates and means, 0 where shrinkage does not apply. */
  static double defaultPrior(MetricCatalog.Metric metric) {
    if (!metric.kind().shrinkable()) {
      return 0;
    }
    return "sessions".equals(metric.observationsColumn()) ? 20 : 10;
  }

  /**
   * The dimensions that take part in the composite: those with at least one metric. Their
   * expert weights (dimensions.<name>.weight) are required for expert and blend, optional
   * for the other methods (all or none); a weight above 0 always needs a metric.
   */
  private static Map<String, ScoringConfig.DimensionRule> dimensions(
      Config merged, Map<String, ScoringConfig.MetricRule> metrics, String method, String origin) {
    boolean expertRequired = "expert".equals(method) || "blend".equals(method);
    Map<String, ScoringConfig.DimensionRule> active = new LinkedHashMap<>();
    List<String> unweighted = new ArrayList<>();
    double total = 0;
    for (String name : ScoringConfig.DIMENSIONS) {
      String key = "dimensions." + name;
      Config block = merged.getConfig(key);
      double weight = ConfigLoader.get(() -> block.getDouble("weight"), key + ".weight", origin);
      if (weight < 0) {
        throw Errors.invalidConfig(origin, key + ".weight", "must not be negative, got " + weight);
      }
      List<ScoringConfig.MetricRule> members =
          metrics.values().stream().filter(m -> m.dimension().equals(name)).toList();
      if (weight > 0 && members.isEmpty()) {
        throw Errors.invalidConfig(origin, key, "has weight " + weight
            + " but no metric; assign at least one under metrics.<name>.dimension or set its weight to 0");
      }
      if (members.isEmpty()) {
        continue;
      }
      if (weight == 0 && expertRequired) {
        throw Errors.invalidConfig(origin, key + ".weight", "is 0 but metrics "
            + members.stream().map(ScoringConfig.MetricRule::metric).toList()
            + " are assigned to it; give it a weight or move them (weighting.method " + method
            + " uses the expert weights)");
      }
      double memberWeight = members.stream().mapToDouble(ScoringConfig.MetricRule::weight).sum();
      if (memberWeight <= 0) {
        throw Errors.invalidConfig(origin, key, "all its metrics have weight 0");
      }
      if (weight == 0) {
        unweighted.add(name);
      }
      total += weight;
      active.put(name, dimension(name, weight, block));
    }
    if (active.isEmpty()) {
      throw Errors.invalidConfig(origin, "dimensions", "no dimension has a metric");
    }
    if (total > 0 && !unweighted.isEmpty()) {
      throw Errors.invalidConfig(origin, "dimensions." + unweighted.get(0) + ".weight", "is 0 while other"
          + " dimensions have expert weights; with weighting.method " + method + " give every dimension that has"
          + " metrics a weight (the fallback when a period's weights cannot be computed) or none");
    }
    if (total > 0 && Math.abs(total - 1.0) > WEIGHT_TOLERANCE) {
      LOG.warn("Dimension weights in {} sum to {}, not 1; they are normalized to shares of the total", origin, total);
      Map<String, ScoringConfig.DimensionRule> normalized = new LinkedHashMap<>();
      for (ScoringConfig.DimensionRule rule : active.values()) {
        normalized.put(rule.name(), withWeight(rule, rule.weight() / total));
      }
      return normalized;
    }
    return active;
  }

  private static ScoringConfig.Weighting weighting(Config merged, String method,
      Map<String, ScoringConfig.DimensionRule> dimensions, String origin) {
    return switch (method) {
      case "ahp" -> ahp(merged, dimensions, origin);
      case "blend" -> {
        double alpha = ConfigLoader.fraction(merged, "weighting.blend.alpha", origin);
        String objective = ConfigLoader.oneOf(merged, "weighting.blend.objective", OBJECTIVE_METHODS, origin);
        yield new ScoringConfig.Weighting(method, Map.of(), 0, alpha, objective);
      }
      default -> new ScoringConfig.Weighting(method, Map.of(), 0, 0, null);
    };
  }

  /**
   * Reads the pairwise comparison matrix (weighting.ahp), checks it is square over exactly
   * the scored dimensions, positive, 1 on the diagonal and reciprocal, and computes its
   * weights; a consistency ratio above 0.1 is an error that gives the ratio.
   */
  private static ScoringConfig.Weighting ahp(Config merged, Map<String, ScoringConfig.DimensionRule> dimensions,
      String origin) {
    String orderKey = "weighting.ahp.dimensions";
    String matrixKey = "weighting.ahp.matrix";
    List<String> order = ConfigLoader.get(() -> merged.getStringList(orderKey), orderKey, origin);
    for (String name : order) {
      if (!dimensions.containsKey(name)) {
        throw Errors.invalidConfig(origin, orderKey, "'" + name + "' is not a dimension with metrics (dimensions with"
            + " metrics: " + String.join(", ", dimensions.keySet()) + ")");
      }
    }
    if (order.size() != dimensions.size() || new java.util.HashSet<>(order).size() != order.size()) {
      throw Errors.invalidConfig(origin, orderKey, "must list each dimension that has metrics exactly once, in the"
          + " order of the matrix rows: " + String.join(", ", dimensions.keySet()) + " (got " + order + ")");
    }
    int n = order.size();
    List<? extends ConfigValue> rows = ConfigLoader.get(() -> merged.getList(matrixKey), matrixKey, origin);
    if (rows.size() != n) {
      throw Errors.invalidConfig(origin, matrixKey, "must have " + n + " rows, one per dimension of " + orderKey
          + ", got " + rows.size());
    }
    double[][] matrix = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (!(rows.get(i) instanceof com.typesafe.config.ConfigList row) || row.size() != n) {
        throw Errors.invalidConfig(origin, matrixKey, "row " + (i + 1) + " (" + order.get(i) + ") must be a list of "
            + n + " numbers");
      }
      for (int j = 0; j < n; j++) {
        matrix[i][j] = judgment(row.get(j), matrixKey, cell(order, i, j), origin);
      }
    }
    for (int i = 0; i < n; i++) {
      if (Math.abs(matrix[i][i] - 1) > 1e-9) {
        throw Errors.invalidConfig(origin, matrixKey, cell(order, i, i) + " is " + matrix[i][i]
            + "; a dimension compared with itself is 1");
      }
      for (int j = i + 1; j < n; j++) {
        if (Math.abs(matrix[i][j] * matrix[j][i] - 1) > RECIPROCAL_TOLERANCE) {
          throw Errors.invalidConfig(origin, matrixKey, cell(order, j, i) + " is " + matrix[j][i] + " but must be"
              + " the reciprocal of " + cell(order, i, j) + " = " + matrix[i][j] + ", i.e. " + (1 / matrix[i][j]));
        }
      }
    }
    Ahp.Result result = Ahp.of(matrix);
    if (result.consistencyRatio() > Ahp.MAX_CONSISTENCY_RATIO) {
      throw Errors.invalidConfig(origin, matrixKey, String.format(Locale.ROOT,
          "the judgments are inconsistent: consistency ratio CR = %.3f is above %.1f (lambda_max %.4f, CI %.4f,"
              + " RI(%d) %.2f); revise the comparisons that contradict each other",
          result.consistencyRatio(), Ahp.MAX_CONSISTENCY_RATIO, result.lambdaMax(), result.consistencyIndex(), n,
          Ahp.RANDOM_INDEX[n]));
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String name : dimensions.keySet()) {
      weights.put(name, result.weights()[order.indexOf(name)]);
    }
    LOG.info("AHP weights from {}: {} (consistency ratio {})", origin, weights,
        String.format(Locale.ROOT, "%.4f", result.consistencyRatio()));
    return new ScoringConfig.Weighting("ahp", weights, result.consistencyRatio(), 0, null);
  }

  private static String cell(List<String> order, int i, int j) {
    return "row " + (i + 1) + " (" + order.get(i) + "), column " + (j + 1) + " (" + order.get(j) + ")";
  }

  /** One judgment: a number, or a fraction such as "1/3"; positive and finite. */
  private static double judgment(ConfigValue value, String key, String cell, String origin) {
    Object raw = value.unwrapped();
    double number;
    try {
      if (raw instanceof Number n) {
        number = n.doubleValue();
      } else if (raw instanceof String text && text.contains("/")) {
        String[] parts = text.split("/", 2);
        number = Double.parseDouble(parts[0].trim()) / Double.parseDouble(parts[1].trim());
      } else if (raw instanceof String text) {
        number = Double.parseDouble(text.trim());
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw Errors.invalidConfig(origin, key, cell + " is '" + raw + "'; write a number or a fraction such as \"1/3\"");
    }
    if (!(number > 0) || !Double.isFinite(number)) {
      throw Errors.invalidConfig(origin, key, cell + " is " + raw + "; judgments must be positive numbers");
    }
    return number;
  }

  private static ScoringConfig.DimensionRule dimension(String name, double weight, Config block) {
    return new ScoringConfig.DimensionRule(name, weight,
        block.getString("label_en"), block.getString("label_zh"),
        block.getString("high_en"), block.getString("high_zh"),
        block.getString("low_en"), block.getString("low_zh"),
        block.getString("coaching_en"), block.getString("coaching_zh"));
  }

  private static ScoringConfig.DimensionRule withWeight(ScoringConfig.DimensionRule rule, double weight) {
    return new ScoringConfig.DimensionRule(rule.name(), weight, rule.labelEn(), rule.labelZh(),
        rule.highEn(), rule.highZh(), rule.lowEn(), rule.lowZh(), rule.coachingEn(), rule.coachingZh());
  }

  private static List<String> peerGroup(Config merged, String origin) {
    List<String> columns = ConfigLoader.get(() -> merged.getStringList("peer_group"), "peer_group", origin);
    for (String column : columns) {
      if (!PEER_GROUP_COLUMNS.contains(column)) {
        throw Errors.invalidConfig(origin, "peer_group", "'" + column + "' cannot define a peer group (use "
            + String.join(", ", PEER_GROUP_COLUMNS) + ", or [] for everyone)");
      }
    }
    return columns;
  }

  private static Map<String, Double> forcedDistribution(Config merged, String origin) {
    Map<String, Double> shares = gradeMap(merged, "grades.forced_distribution", origin);
    double sum = shares.values().stream().mapToDouble(Double::doubleValue).sum();
    if (Math.abs(sum - 1.0) > WEIGHT_TOLERANCE) {
      throw Errors.invalidConfig(origin, "grades.forced_distribution",
          "shares must sum to 1, got " + sum);
    }
    return shares;
  }

  private static Map<String, Double> thresholds(Config merged, String origin) {
    Map<String, Double> thresholds = gradeMap(merged, "grades.thresholds", origin);
    double previous = Double.MAX_VALUE;
    for (Map.Entry<String, Double> entry : thresholds.entrySet()) {
      if (entry.getValue() >= previous) {
        throw Errors.invalidConfig(origin, "grades.thresholds." + entry.getKey(),
            "must be below the threshold of the grade above it");
      }
      previous = entry.getValue();
    }
    return thresholds;
  }

  private static Map<String, Double> gradeMap(Config merged, String key, String origin) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String grade : ScoringConfig.GRADES) {
      if (merged.hasPath(key + "." + grade)) {
        double value = ConfigLoader.get(() -> merged.getDouble(key + "." + grade), key + "." + grade, origin);
        if (value < 0) {
          throw Errors.invalidConfig(origin, key + "." + grade, "must not be negative, got " + value);
        }
        values.put(grade, value);
      }
    }
    for (String name : merged.getObject(key).keySet()) {
      if (!ScoringConfig.GRADES.contains(name)) {
        throw Errors.invalidConfig(origin, key + "." + name, "unknown grade (grades: S, A, B, C, D)");
      }
    }
    return values;
  }

  private static List<String> incentiveGrades(Config merged, String origin) {
    List<String> grades = new ArrayList<>(merged.getStringList("incentive.grades"));
    for (String grade : grades) {
      if (!ScoringConfig.GRADES.contains(grade)) {
        throw Errors.invalidConfig(origin, "incentive.grades", "unknown grade '" + grade + "'");
      }
    }
    return grades;
  }

  private static ScoringConfig.SegmentRules segments(Config merged, String origin) {
    String algorithm = ConfigLoader.oneOf(merged, "segments.algorithm", ALGORITHMS, origin);
    int k = ConfigLoader.nonNegative(merged, "segments.k", origin);
    int kMin = ConfigLoader.positive(merged, "segments.k_min", origin);
    int kMax = ConfigLoader.positive(merged, "segments.k_max", origin);
    if (kMin < 2) {
      throw Errors.invalidConfig(origin, "segments.k_min", "must be at least 2, got " + kMin);
    }
    if (kMax < kMin) {
      throw Errors.invalidConfig(origin, "segments.k_max", "must be at least k_min (" + kMin + "), got " + kMax);
    }
    if (k == 1) {
      throw Errors.invalidConfig(origin, "segments.k", "must be 0 (choose by silhouette) or at least 2");
    }
    double matchMaxDistance = ConfigLoader.get(() -> merged.getDouble("segments.match_max_distance"),
        "segments.match_max_distance", origin);
    if (!(matchMaxDistance > 0)) {
      throw Errors.invalidConfig(origin, "segments.match_max_distance",
          "must be a distance above 0 on the 0-100 score scale (default 25), got " + matchMaxDistance);
    }
    return new ScoringConfig.SegmentRules(algorithm, k, kMin, kMax,
        ConfigLoader.get(() -> merged.getLong("segments.seed"), "segments.seed", origin),
        ConfigLoader.positive(merged, "segments.restarts", origin),
        ConfigLoader.positive(merged, "segments.max_iterations", origin),
        ConfigLoader.get(() -> merged.getDouble("segments.label_threshold"), "segments.label_threshold", origin),
        matchMaxDistance);
  }
}
