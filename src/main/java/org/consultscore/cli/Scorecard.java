package org.consultscore.cli;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.Errors;
import org.consultscore.config.MetricCatalog;
import org.consultscore.config.ScoringConfig;
import org.consultscore.publish.Publisher;
import org.consultscore.publish.Tables;

/**
 * One consultant's published scorecard for one period, read back from consultant_scores,
 * consultant_metrics and score_weights, and printed in English or Chinese: every scored
 * metric's raw value, shrunk value, score and weight, the dimension scores, weights and
 * contributions, the composite, ranks, grade, trend and coaching focus. The dimensions and
 * metric weights are those published with the scores; labels come from the config's rules.
 */
final class Scorecard {
  private final Row scores;
  private final Row metrics;
  private final Map<String, Double> dimensionWeights;
  private final Map<String, String> dimensionMethods;
  private final Map<String, Map<String, Double>> metricWeights;
  private final long scoredInPeriod;
  private final ScoringConfig rules;

  private Scorecard(Row scores, Row metrics, Map<String, Double> dimensionWeights, Map<String, String> dimensionMethods,
      Map<String, Map<String, Double>> metricWeights, long scoredInPeriod, ScoringConfig rules) {
    this.scores = scores;
    this.metrics = metrics;
    this.dimensionWeights = dimensionWeights;
    this.dimensionMethods = dimensionMethods;
    this.metricWeights = metricWeights;
    this.scoredInPeriod = scoredInPeriod;
    this.rules = rules;
  }

  /**
   * Reads the scorecard; an unpublished table, period or consultant is an error with exit
   * code 2 that names what was found instead.
   */
  static Scorecard load(Publisher publisher, ScoringConfig rules, String consultant, String grain, LocalDate start) {
    Dataset<Row> published = publisher.read(Tables.CONSULTANT_SCORES);
    if (published == null) {
      throw Errors.unknownScorecard("No scores are published at " + publisher.location(Tables.CONSULTANT_SCORES)
          + "; run the job first (consultscore run) / 尚未发布评分结果，请先运行评分任务");
    }
    Column period = col("period_grain").equalTo(grain).and(col("period_start").equalTo(Date.valueOf(start)));
    Dataset<Row> inPeriod = published.filter(period);
    List<Row> rows = inPeriod.filter(col("consultant_id").equalTo(consultant)).collectAsList();
    if (rows.isEmpty()) {
      long people = inPeriod.count();
      if (people == 0) {
        List<String> periods = published.filter(col("period_grain").equalTo(grain)).select("period_start").distinct()
            .orderBy(col("period_start").desc()).limit(12).collectAsList().stream()
            .map(r -> r.get(0).toString()).toList();
        throw Errors.unknownScorecard("No scores are published for the " + grain + " period starting " + start
            + (periods.isEmpty() ? " (no " + grain + " period is published)"
                : " (latest published " + grain + " periods: " + String.join(", ", periods) + ")")
            + " / 该周期没有已发布的评分");
      }
      throw Errors.unknownScorecard("Consultant '" + consultant + "' has no scores in the " + grain + " period starting "
          + start + " (" + people + " consultants have; check the id) / 该顾问在此周期没有评分记录");
    }
    Row scores = rows.get(0);
    Dataset<Row> publishedMetrics = publisher.read(Tables.CONSULTANT_METRICS);
    Row metrics = publishedMetrics == null ? null : publishedMetrics
        .filter(period.and(col("consultant_id").equalTo(consultant))).collectAsList().stream().findFirst().orElse(null);
    long scored = inPeriod.filter(col("composite").isNotNull()).count();

    Map<String, Double> dimensionWeights = new LinkedHashMap<>();
    Map<String, String> dimensionMethods = new LinkedHashMap<>();
    Map<String, Map<String, Double>> metricWeights = new LinkedHashMap<>();
    Dataset<Row> weights = publisher.read(Tables.SCORE_WEIGHTS);
    List<Row> weightRows = weights == null ? List.of() : weights
        .filter(period.and(col("run_id").equalTo(scores.<String>getAs("run_id"))))
        .select("level", "name", "dimension", "weight", "method").collectAsList().stream()
        .sorted(java.util.Comparator.comparingInt((Row r) -> order(ScoringConfig.DIMENSIONS, r.getString(2)))
            .thenComparingInt(r -> order(new ArrayList<>(rules.metrics().keySet()), r.getString(1)))
            .thenComparing(r -> r.getString(1)))
        .toList();
    if (weightRows.isEmpty()) {
      // Published before score_weights existed, so the rules of the config tell what was scored.
      for (ScoringConfig.DimensionRule dimension : rules.dimensions().values()) {
        boolean fixed = List.of("expert", "ahp").contains(rules.weightingMethod());
        dimensionWeights.put(dimension.name(), !fixed ? null
            : "ahp".equals(rules.weightingMethod()) ? rules.weighting().ahpWeights().get(dimension.name())
            : dimension.weight());
        dimensionMethods.put(dimension.name(), rules.weightingMethod());
        List<ScoringConfig.MetricRule> members = rules.metricsOf(dimension.name());
        double total = members.stream().mapToDouble(ScoringConfig.MetricRule::weight).sum();
        Map<String, Double> shares = new LinkedHashMap<>();
        members.forEach(m -> shares.put(m.metric(), m.weight() / total));
        metricWeights.put(dimension.name(), shares);
      }
    } else {
      for (Row row : weightRows) {
        if ("dimension".equals(row.getString(0))) {
          dimensionWeights.put(row.getString(1), row.getDouble(3));
          dimensionMethods.put(row.getString(1), row.getString(4));
        }
      }
      for (Row row : weightRows) {
        if ("metric".equals(row.getString(0))) {
          metricWeights.computeIfAbsent(row.getString(2), d -> new LinkedHashMap<>()).put(row.getString(1), row.getDouble(3));
        }
      }
      for (String dimension : dimensionWeights.keySet()) {
        metricWeights.computeIfAbsent(dimension, d -> new LinkedHashMap<>());
      }
    }
    return new Scorecard(scores, metrics, dimensionWeights, dimensionMethods, metricWeights, scored, rules);
  }

  /** Position in a list, unknown names last: the display order of dimensions and metrics. */
  private static int order(List<String> names, String name) {
    int index = names.indexOf(name);
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  void print(PrintStream out, boolean chinese) {
    Labels l = chinese ? Labels.ZH : Labels.EN;
    String name = text(scores, "display_name");
    out.println(l.title + ": " + scores.getAs("consultant_id") + (name.isEmpty() ? "" : " (" + name + ")")
        + "  " + l.team + " " + orDash(text(scores, "team_id")) + "  " + l.line + " " + orDash(text(scores, "business_line")));
    boolean isFinal = Boolean.TRUE.equals(scores.getAs("is_final"));
    out.println(l.period + ": " + scores.getAs("period_grain") + " " + scores.getAs("period_start")
        + " (" + (isFinal ? l.isFinal : l.provisional) + ")  " + l.rules + " " + text(scores, "rules_version")
        + "  run " + text(scores, "run_id"));
    if (!rules.rulesVersion().equals(text(scores, "rules_version"))) {
      out.println("  " + l.otherRules + " " + rules.rulesVersion());
    }
    boolean eligible = Boolean.TRUE.equals(scores.getAs("eligible"));
    out.println(l.sessions + ": " + scores.getAs("sessions") + "  " + l.eligible + ": " + (eligible ? l.yes : l.no)
        + "  " + l.coverage + ": " + percent(number(scores, "coverage")));
    out.println();

    Double composite = number(scores, "composite");
    if (composite == null) {
      out.println(l.composite + ": -  " + l.notScored + ": " + orDash(text(scores, "not_scored_reason")));
    } else {
      out.println(l.composite + ": " + fixed(composite) + "  " + l.grade + ": " + scores.getAs("grade")
          + "  " + l.rankPeer + ": " + scores.getAs("rank_in_peer_group") + " / " + scores.getAs("scored_peers")
          + "  " + l.rankOverall + ": " + scores.getAs("rank_overall") + " / " + scoredInPeriod
          + "  " + l.percentile + ": " + fixed(number(scores, "percentile")));
      Double previous = number(scores, "previous_composite");
      out.println(l.trend + ": " + (previous == null ? l.noPrevious
          : l.previous + " " + fixed(previous) + ", " + l.change + " " + signed(number(scores, "composite_change"))));
    }
    out.println();

    for (Map.Entry<String, Double> dimension : dimensionWeights.entrySet()) {
      String d = dimension.getKey();
      out.println(label(d, chinese) + "  " + l.score + " " + fixed(number(scores, d + "_score"))
          + "  " + l.weight + " " + percent(dimension.getValue()) + " (" + dimensionMethods.get(d) + ")"
          + "  " + l.contribution + " " + signed(number(scores, d + "_contribution")));
      out.println(String.format(Locale.ROOT, "    %-22s %12s %12s %8s %8s  %s", l.metric, l.raw, l.shrunk, l.score,
          l.weight, l.meaning));
      for (Map.Entry<String, Double> metric : metricWeights.getOrDefault(d, Map.of()).entrySet()) {
        String m = metric.getKey();
        MetricCatalog.Metric known = MetricCatalog.contains(m) ? MetricCatalog.get(m) : null;
        out.println(String.format(Locale.ROOT, "    %-22s %12s %12s %8s %8s  %s", m,
            value(metrics == null ? null : number(metrics, m)), value(number(scores, m + "_shrunk")),
            fixed(number(scores, m + "_score")), percent(metric.getValue()),
            known == null ? "" : chinese ? known.descriptionZh() : known.descriptionEn()));
      }
    }
    out.println();
    out.println(l.contributionNote);
    out.println(l.strongest + ": " + dimensionLabel(text(scores, "strongest_dimension"), chinese)
        + "  " + l.weakest + ": " + dimensionLabel(text(scores, "weakest_dimension"), chinese));
    out.println(l.coaching + ": " + orDash(text(scores, chinese ? "coaching_focus_zh" : "coaching_focus_en")));
    Object incentive = scores.getAs("incentive_candidate");
    out.println(l.incentive + ": " + (incentive == null ? "-" : Boolean.TRUE.equals(incentive) ? l.yes : l.no));
  }

  private String dimensionLabel(String dimension, boolean chinese) {
    return dimension.isEmpty() ? "-" : label(dimension, chinese);
  }

  /** The dimension's label from the rules, with its name. */
  private String label(String dimension, boolean chinese) {
    ScoringConfig.DimensionRule rule = rules.dimensions().get(dimension);
    if (rule == null) {
      return dimension;
    }
    return (chinese ? rule.labelZh() : rule.labelEn()) + " [" + dimension + "]";
  }

  private static Double number(Row row, String column) {
    if (!List.of(row.schema().fieldNames()).contains(column) || row.isNullAt(row.fieldIndex(column))) {
      return null;
    }
    return ((Number) row.getAs(column)).doubleValue();
  }

  private static String text(Row row, String column) {
    if (!List.of(row.schema().fieldNames()).contains(column) || row.isNullAt(row.fieldIndex(column))) {
      return "";
    }
    return String.valueOf(row.<Object>getAs(column));
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "-" : text;
  }

  static String fixed(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String signed(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%+.2f", value);
  }

  private static String value(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String percent(Double share) {
    return share == null ? "-" : String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  /** The words of the scorecard in one language. */
  private record Labels(String title, String team, String line, String period, String isFinal, String provisional,
      String rules, String otherRules, String sessions, String eligible, String coverage, String yes, String no,
      String composite, String notScored, String grade, String rankPeer, String rankOverall, String percentile,
      String trend, String noPrevious, String previous, String change, String score, String weight,
      String contribution, String metric, String raw, String shrunk, String meaning, String contributionNote,
      String strongest, String weakest, String coaching, String incentive) {

    static final Labels EN = new Labels("Scorecard", "team", "business line", "Period", "final", "provisional",
        "rules", "Note: the config's rules are version", "Sessions", "eligible", "coverage", "yes", "no",
        "Composite", "not scored", "grade", "rank in peer group", "rank overall", "percentile",
        "Trend", "no previous period", "previous", "change", "score", "weight", "contribution",
        "metric", "raw", "shrunk", "meaning",
        "Contribution = dimension weight (re-normalized over the dimensions present) x (dimension score"
            + " - peer-group mean of the dimension). With every dimension present they add up to the composite"
            + " minus the weighted sum of those peer-group means.",
        "Strongest dimension", "Weakest dimension", "Coaching focus", "Incentive candidate");

    static final Labels ZH = new Labels("个人评分卡", "团队", "业务线", "周期", "已定稿", "暂定",
        "规则版本", "注意：当前配置的规则版本为", "会话数", "参与评分", "维度覆盖率", "是", "否",
        "综合得分", "未评分", "等级", "同组排名", "总排名", "百分位",
        "趋势", "无上期数据", "上期", "变化", "得分", "权重", "贡献",
        "指标", "原始值", "收缩后", "含义",
        "贡献 = 维度权重（按已有维度重新归一）×（维度得分 − 同组该维度平均分）。各维度齐全时，"
            + "贡献之和 = 综合得分 − 各维度同组平均分的加权和。",
        "最强维度", "最弱维度", "辅导重点", "激励候选");
  }
}
