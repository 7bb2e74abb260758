package org.consultscore.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics the job computes: their column names, the count of observations behind each
 * one (used for shrinkage and trust), units and descriptions in English and Chinese. The
 * column names are part of the published schema of consultant_metrics.
 */
public final class MetricCatalog {

  /** How a metric is aggregated, which decides whether shrinkage applies to it. */
  public enum Kind {
    COUNT, RATE, MEAN, MEDIAN;

    public boolean shrinkable() {
      return this == RATE || this == MEAN;
    }
  }

  /** One metric of the catalogue. */
  public record Metric(
      String name,
      String source,
      Kind kind,
      String unit,
      String observationsColumn,
      String defaultDirection,
      String descriptionEn,
      String descriptionZh) {}

  private static final Map<String, Metric> METRICS = new LinkedHashMap<>();

  static {
    add("sessions", "sessions", Kind.COUNT, "sessions", "sessions", "higher",
        "Inbound sessions handled in the period", "本期处理的呼入会话数");
    add("outbound_sessions", "sessions", Kind.COUNT, "sessions", "outbound_sessions", "higher",
        "Outbound follow-up sessions started by the consultant", "顾问主动发起的外呼/回访会话数");
    add("customers", "sessions", Kind.COUNT, "customers", "sessions", "higher",
        "Distinct customers among inbound sessions", "呼入会话中的去重客户数");
    add("answered_rate", "sessions", Kind.RATE, "ratio", "sessions", "higher",
        "Share of inbound sessions that got a first response", "得到首次响应的呼入会话占比");
    add("frt_median_s", "sessions", Kind.MEDIAN, "seconds", "answered_sessions", "lower",
        "Median first response time, from assignment (or start) to first response",
        "首次响应时长中位数（自分配或开始起算）");
    add("frt_p90_s", "sessions", Kind.MEDIAN, "seconds", "answered_sessions", "lower",
        "90th percentile of first response time", "首次响应时长第 90 百分位");
    add("sla_rate", "sessions", Kind.RATE, "ratio", "sessions", "higher",
        "Share of inbound sessions answered within the channel's SLA", "在渠道服务时限内响应的呼入会话占比");
    add("aht_median_s", "sessions", Kind.MEDIAN, "seconds", "sessions", "lower",
        "Median handle time, from start to end of the session", "会话处理时长中位数（开始至结束）");
    add("resolution_rate", "sessions", Kind.RATE, "ratio", "sessions", "higher",
        "Share of inbound sessions marked resolved", "标记为已解决的呼入会话占比");
    add("transfer_rate", "sessions", Kind.RATE, "ratio", "sessions", "lower",
        "Share of inbound sessions transferred to someone else", "被转接的呼入会话占比");
    add("surveys", "surveys", Kind.COUNT, "surveys", "surveys", "higher",
        "Inbound sessions with a counted survey that has a CSAT score", "有计入满意度评分问卷的呼入会话数");
    add("survey_response_rate", "surveys", Kind.RATE, "ratio", "sessions", "higher",
        "Surveys per inbound session", "问卷回收率（问卷数 / 呼入会话数）");
    add("csat_mean", "surveys", Kind.MEAN, "points", "surveys", "higher",
        "Mean CSAT score of the counted surveys", "满意度（CSAT）平均分");
    add("csat_satisfied_rate", "surveys", Kind.RATE, "ratio", "surveys", "higher",
        "Share of counted surveys at or above the satisfied threshold", "满意（达到满意阈值）问卷占比");
    add("nps", "surveys", Kind.MEAN, "points (-100..100)", "nps_responses", "higher",
        "Net promoter score: 100 x (promoters - detractors) / responses", "净推荐值：100 ×（推荐者 − 贬损者）/ 回答数");
    add("nps_responses", "surveys", Kind.COUNT, "surveys", "nps_responses", "higher",
        "Counted surveys with an NPS answer", "有 NPS 回答的计入问卷数");
  }

  private MetricCatalog() {}

  private static void add(String name, String source, Kind kind, String unit, String observations,
      String direction, String en, String zh) {
    METRICS.put(name, new Metric(name, source, kind, unit, observations, direction, en, zh));
  }

  public static boolean contains(String name) {
    return METRICS.containsKey(name);
  }

  public static Metric get(String name) {
    Metric metric = METRICS.get(name);
    if (metric == null) {
      throw new IllegalArgumentException("Unknown metric: " + name);
    }
    return metric;
  }

  public static List<Metric> all() {
    return Collections.unmodifiableList(new ArrayList<>(METRICS.values()));
  }

  public static List<String> names() {
    return new ArrayList<>(METRICS.keySet());
  }
}
