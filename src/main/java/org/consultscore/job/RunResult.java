package org.consultscore.job;

import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.RunContext;
import org.consultscore.ingest.QualityReport;

/** What a finished run hands to the summary: its periods, results and figures. */
public record RunResult(
    RunContext run,
    Dataset<Row> scores,
    Dataset<Row> segmentProfiles,
    QualityReport quality,
    Map<LocalDate, String> segmentNotes,
    Map<String, Long> stageRows,
    Map<String, Double> stageSeconds,
    Map<String, String> tableLocations,
    double totalSeconds) {}
