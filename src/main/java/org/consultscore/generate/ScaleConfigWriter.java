package org.consultscore.generate;

import com.typesafe.config.ConfigUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@code consultscore.conf}, an application config whose sources read the folders of
 * {@link ScaleDataGenerator}, and the {@code scoring.conf} it names, so that
 * {@code run --config <dir>/consultscore.conf} works on the generated data without edits.
 */
final class ScaleConfigWriter {
  static final String CONFIG_FILE = "consultscore.conf";
  static final String SCORING_FILE = "scoring.conf";
  /** Roughly the sessions one shuffle partition of the job should hold. */
  private static final long SESSIONS_PER_SHUFFLE_PARTITION = 200_000;
  /** eligibility.min_sessions of conf/scoring.conf, used when the data is large enough. */
  private static final int DEFAULT_MIN_SESSIONS = 30;

  private final ScaleOptions options;

  ScaleConfigWriter(ScaleOptions options) {
    this.options = options;
  }

  void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(CONFIG_FILE), application(dir), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(SCORING_FILE), scoring(), StandardCharsets.UTF_8);
  }

  private String application(Path dir) {
    Path warehouse = options.warehouse() == null ? dir.resolve("warehouse") : options.warehouse().toAbsolutePath();
    long shufflePartitions = Math.max(8, options.sessions() / SESSIONS_PER_SHUFFLE_PARTITION);
    StringBuilder text = new StringBuilder();
    text.append("# Settings for the data written by `generate --scale` (format ").append(options.format())
        .append(", seed ").append(options.seed()).append(").\n")
        .append("# Every key is documented in docs/configuration.md; unknown keys are rejected.\n\n")
        .append("timezone = \"").append(SampleDataGenerator.ZONE.getId()).append("\"\n\n")
        .append("period {\n  grain = month\n  lookback_periods = 1\n  settle_days = 7\n}\n\n")
        .append("quality {\n  max_reject_rate = 0.05\n  max_session_hours = 24\n}\n\n")
        .append("metrics {\n")
        .append("  sla_seconds = 60\n")
        .append("  # Email is answered within 4 hours.\n")
        .append("  sla_seconds_by_channel { email = 14400 }\n")
        .append("  csat_scale = 5\n")
        .append("  satisfied_threshold = 4\n")
        .append("  fcr_window = 7 days\n")
        .append("  follow_up_window = 7 days\n")
        .append("  attribution_window = 7 days\n")
        .append("  review_weights { manager = 0.5, peer = 0.3, subordinate = 0.2 }\n")
        .append("}\n\n")
        .append("# Folders partitioned by date=YYYY-MM-DD; the partition column date is read as an\n")
        .append("# extra column and ignored. Column names are those of the data contract.\n")
        .append("sources {\n");
    for (String source : ScaleDataGenerator.SOURCES) {
      text.append("  ").append(source).append(" {\n")
          .append("    format = ").append(options.format()).append('\n')
          .append("    path = ").append(ConfigUtil.quoteString(dir.resolve(source).toString())).append('\n');
      if (options.textFormat()) {
        text.append("    timestamp_format = \"").append(ScaleSources.TIMESTAMP_PATTERN).append("\"\n");
      }
      text.append("  }\n");
    }
    text.append("}\n\n")
        .append("output {\n")
        .append("  path = ").append(ConfigUtil.quoteString(warehouse.toString())).append('\n')
        .append("  path = ${?CONSULTSCORE_OUTPUT}\n")
        .append("  database = consultscore\n")
        .append("  # Demo key for generated data only; production runs set CONSULTSCORE_PSEUDONYM_KEY.\n")
        .append("  pseudonym_key = \"generated-data-demo-key\"\n")
        .append("  pseudonym_key = ${?CONSULTSCORE_PSEUDONYM_KEY}\n")
        .append("}\n\n")
        .append("spark {\n")
        .append("  master = \"local[*]\"\n")
        .append("  app_name = \"ConsultScore\"\n")
        .append("  conf {\n")
        .append("    # One shuffle partition per ").append(SESSIONS_PER_SHUFFLE_PARTITION)
        .append(" sessions, at least 8.\n")
        .append("    \"spark.sql.shuffle.partitions\" = ").append(shufflePartitions).append('\n')
        .append("    \"spark.databricks.delta.snapshotPartitions\" = 2\n")
        .append("    \"spark.driver.host\" = \"127.0.0.1\"\n")
        .append("    \"spark.driver.bindAddress\" = \"127.0.0.1\"\n")
        .append("  }\n")
        .append("}\n\n")
        .append("scoring_file = \"").append(SCORING_FILE).append("\"\n");
    return text.toString();
  }

  /**
   * Scoring rules over all seven dimensions, because the generated data feeds every source.
   * min_sessions is 30 unless the data is too small for that: then it is half the inbound
   * sessions an average consultant handles in the data's first month, at least 1, so a small
   * run still scores its full-time consultants.
   */
  private String scoring() {
    long monthDays = Math.min(options.days(), 28);
    double perConsultant = 0.95 * options.sessionsPerDay() * monthDays / options.consultants();
    long minSessions = Math.max(1, Math.min(DEFAULT_MIN_SESSIONS, Math.round(perConsultant / 2)));
    return String.format(Locale.ROOT, """
        # Scoring rules for the data written by `generate --scale`. docs/scoring-rules.md explains
        # each rule. min_sessions is 30, or half an average consultant's inbound sessions in the
        # first month when the generated data has fewer.
        rules_version = "generated-1"

        eligibility { min_sessions = %d }

        peer_group = [business_line]

        min_coverage = 0.6

        weighting { method = expert }

        dimensions {
          responsiveness.weight = 0.20
          resolution.weight = 0.20
          satisfaction.weight = 0.20
          quality.weight = 0.15
          business.weight = 0.10
          efficiency.weight = 0.10
          collaboration.weight = 0.05
        }

        metrics {
          frt_median_s        { dimension = responsiveness, weight = 0.4, direction = lower }
          sla_rate            { dimension = responsiveness, weight = 0.3, prior_strength = 20 }
          reply_time_median_s { dimension = responsiveness, weight = 0.3, direction = lower }
          resolution_rate     { dimension = resolution, weight = 0.5, prior_strength = 20 }
          fcr_rate            { dimension = resolution, weight = 0.3, prior_strength = 20 }
          transfer_rate       { dimension = resolution, weight = 0.2, direction = lower, prior_strength = 20 }
          csat_mean           { dimension = satisfaction, weight = 0.4, prior_strength = 10 }
          csat_satisfied_rate { dimension = satisfaction, weight = 0.3, prior_strength = 10 }
          nps                 { dimension = satisfaction, weight = 0.3, prior_strength = 10 }
          qa_score_mean       { dimension = quality, weight = 0.7 }
          critical_error_rate { dimension = quality, weight = 0.3, direction = lower }
          conversion_rate     { dimension = business, weight = 0.5, prior_strength = 20 }
          revenue_per_session { dimension = business, weight = 0.5 }
          sessions_per_hour   { dimension = efficiency, weight = 0.5 }
          occupancy_rate      { dimension = efficiency, weight = 0.5 }
          review_360_mean     { dimension = collaboration, weight = 1.0 }
        }

        grades {
          method = forced_distribution
          forced_distribution { S = 0.10, A = 0.20, B = 0.40, C = 0.20, D = 0.10 }
        }

        incentive { grades = [S] }

        segments {
          algorithm = kmeans
          k = 0
          k_min = 3
          k_max = 8
          seed = 20261204
          match_max_distance = 25
        }
        """, minSessions);
  }
}
