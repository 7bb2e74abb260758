package org.consultscore.publish;

import java.util.List;
import java.util.Map;

/** Names of the published tables. Each is a Delta table under output.path/<name>. */
public final class Tables {
  public static final String SESSION_FACTS = "session_facts";
  public static final String CONSULTANT_METRICS = "consultant_metrics";
  /** The consultant metrics per team and per business line (group_type, group_id). */
  public static final String GROUP_METRICS = "group_metrics";
  public static final String CONSULTANT_SCORES = "consultant_scores";
  public static final String CONSULTANT_SEGMENTS = "consultant_segments";
  public static final String SEGMENT_PROFILES = "segment_profiles";
  /** People per (from segment, to segment) between a period and the one before it. */
  public static final String SEGMENT_TRANSITIONS = "segment_transitions";
  public static final String SCORE_WEIGHTS = "score_weights";
  public static final String TEAM_SCORES = "team_scores";
  /** Replaced as a whole by every run, not period by period. */
  public static final String METRIC_CATALOG = "metric_catalog";
  public static final String DATA_QUALITY = "data_quality";
  public static final String QUARANTINE = "quarantine";
  public static final String RUN_LOG = "run_log";

  /** Tables replaced period by period, in the order a run writes them. */
  public static final List<String> PERIOD_TABLES = List.of(
      SESSION_FACTS, CONSULTANT_METRICS, GROUP_METRICS, CONSULTANT_SCORES, SCORE_WEIGHTS, TEAM_SCORES,
      CONSULTANT_SEGMENTS, SEGMENT_PROFILES, SEGMENT_TRANSITIONS, DATA_QUALITY, QUARANTINE);

  /**
   * Columns whose minimum, maximum and null count Delta records per file, for the tables that
   * limit them. Delta's default, the first 32 columns, made the write of session_facts about a
   * fifth slower (bench/README.md); these are the columns BI filters and Z-orders by.
   */
  public static final Map<String, List<String>> STATS_COLUMNS = Map.of(
      SESSION_FACTS, List.of("session_id", "consultant_id", "team_id", "business_line", "channel", "started_at"));

  private Tables() {}
}
