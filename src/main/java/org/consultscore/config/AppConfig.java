package org.consultscore.config;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

/**
 * Every setting of a run except the scoring rules, validated and typed. Built once by
 * {@link ConfigLoader}; see conf/application.conf for the meaning of each key.
 */
public record AppConfig(
    Path file,
    ZoneId timezone,
    String grain,
    int lookbackPeriods,
    int settleDays,
    double maxRejectRate,
    int maxSessionHours,
    int minYear,
    int maxYear,
    int slaSeconds,
    Map<String, Integer> slaSecondsByChannel,
    int csatScale,
    int satisfiedThreshold,
    long fcrWindowSeconds,
    long followUpWindowSeconds,
    long attributionWindowSeconds,
    Map<String, Double> reviewWeights,
    Map<String, SourceConfig> sources,
    String outputPath,
    String scratchPath,
    String database,
    String pseudonymKey,
    String sparkMaster,
    String sparkAppName,
    Map<String, String> sparkConf,
    ScoringConfig scoring,
    String digest) {

  public boolean hasSource(String name) {
    return sources.containsKey(name);
  }

  /** Hides the pseudonym key so the record can be logged. */
  @Override
  public String toString() {
    return "AppConfig[file=" + file + ", timezone=" + timezone + ", grain=" + grain
        + ", sources=" + sources.keySet() + ", output=" + outputPath + ", database=" + database
        + ", rules_version=" + scoring.rulesVersion() + "]";
  }
}
