package org.consultscore.ingest;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the ingest stage hands on.
 *
 * @param sessions valid, de-duplicated sessions with the roster's team, business line and
 *     level ({@code unknown} when the consultant is not on it); customer_id is still raw
 * @param surveys the counted survey of each session (latest submitted_at), without comments
 * @param consultants the valid roster, or null when no roster source is configured
 * @param quarantine rejected rows: source, reason, source_file, raw_row (masked JSON)
 * @param quality row counts per source and reason
 */
public record IngestResult(
    Dataset<Row> sessions,
    Dataset<Row> surveys,
    Dataset<Row> consultants,
    Dataset<Row> quarantine,
    QualityReport quality) {

  public boolean hasSurveys() {
    return surveys != null;
  }
}
