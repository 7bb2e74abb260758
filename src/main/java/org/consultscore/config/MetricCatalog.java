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
    add("fcr_rate", "sessions", Kind.RATE, "ratio", "sessions", "higher",
        "Share of inbound sessions resolved with no repeat contact of the customer within fcr_window",
        "首次联系解决率（已解决且客户在 fcr_window 内未再次来访）");
    add("follow_up_rate", "sessions", Kind.RATE, "ratio", "sessions", "higher",
        "Share of inbound sessions followed by an outbound session to the customer within follow_up_window",
        "在 follow_up_window 内对客户进行回访的呼入会话占比");
    add("reply_time_median_s", "messages", Kind.MEDIAN, "seconds", "reply_turns", "lower",
        "Median reply time from a customer turn's first message to the next consultant message",
        "回复时长中位数（客户一轮消息的首条至顾问下一条消息）");
    add("reply_time_p90_s", "messages", Kind.MEDIAN, "seconds", "reply_turns", "lower",
        "90th percentile of reply time", "回复时长第 90 百分位");
    add("qa_audits", "qa_audits", Kind.COUNT, "audits", "qa_audits", "higher",
        "Quality audits of inbound sessions", "呼入会话的质检次数");
    add("qa_score_mean", "qa_audits", Kind.MEAN, "points (0..100)", "qa_audits", "higher",
        "Mean quality score: mean over audits of their non-null items", "质检平均分（每次质检非空项均值的平均）");
    add("qa_accuracy_mean", "qa_audits", Kind.MEAN, "points (0..100)", "qa_accuracy_audits", "higher",
        "Mean accuracy over audits that score it", "质检准确性平均分");
    add("critical_error_rate", "qa_audits", Kind.RATE, "ratio", "qa_audits", "lower",
        "Share of audits with a critical error", "存在严重差错的质检占比");
    add("review_self_mean", "reviews", Kind.MEAN, "points (1..5)", "review_self_count", "higher",
        "Mean self review", "自评平均分");
    add("review_peer_mean", "reviews", Kind.MEAN, "points (1..5)", "review_peer_count", "higher",
        "Mean peer review", "同事评价平均分");
    add("review_manager_mean", "reviews", Kind.MEAN, "points (1..5)", "review_manager_count", "higher",
        "Mean manager review", "上级评价平均分");
    add("review_subordinate_mean", "reviews", Kind.MEAN, "points (1..5)", "review_subordinate_count", "higher",
        "Mean subordinate review", "下属评价平均分");
    add("review_360_mean", "reviews", Kind.MEAN, "points (1..5)", "review_360_count", "higher",
        "Weighted mean of the manager, peer and subordinate means (self left out)",
        "360 度评价加权平均分（上级、同事、下属，不含自评）");
    add("self_gap", "reviews", Kind.MEAN, "points", "review_self_count", "lower",
        "Self review mean minus the 360-degree mean", "自评与 360 度评价之差");
    add("conversion_rate", "outcomes", Kind.RATE, "ratio", "sessions", "higher",
        "Share of inbound sessions with an attributed purchase or renewal", "带来购买或续费的呼入会话占比");
    add("revenue", "outcomes", Kind.COUNT, "currency", "sessions", "higher",
        "Attributed purchase and renewal amounts minus attributed refunds", "归因的购买与续费金额减去退款金额");
    add("revenue_per_session", "outcomes", Kind.MEAN, "currency", "sessions", "higher",
        "Revenue per inbound session", "每个呼入会话的收入");
    add("refund_rate", "outcomes", Kind.RATE, "ratio", "attributed_sales", "lower",
        "Attributed refunds per attributed purchase or renewal", "归因退款数 / 归因购买与续费数");
    add("logged_in_hours", "work_time", Kind.COUNT, "hours", "work_days", "higher",
        "Logged-in hours in the period", "本期登录时长（小时）");
    add("sessions_per_hour", "work_time", Kind.MEAN, "sessions per hour", "work_days", "higher",
        "Inbound and outbound sessions per logged-in hour", "每登录小时处理的会话数（呼入与外呼）");
    add("occupancy_rate", "work_time", Kind.RATE, "ratio", "work_days", "higher",
        "Handle time of all sessions over logged-in time; above 1 with parallel chats",
        "占用率：会话处理时长 / 登录时长（并行会话时可超过 1）");
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
