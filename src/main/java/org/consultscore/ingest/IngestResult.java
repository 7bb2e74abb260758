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
 * @param messages valid messages of known sessions (session_id, sent_at, sender), or null
 * @param qaAudits valid audits of known sessions, or null
 * @param reviews valid 360-degree reviews, relation in lower case, or null
 * @param outcomes attributed outcomes with the session they belong to in session_id, or null
 * @param workTime logged-in minutes per consultant and work_date, capped at 1440, or null
 * @param quarantine rejected rows: source, reason, source_file, raw_row (masked JSON)
 * @param quality row counts per source and reason
 */
public record IngestResult(
    Dataset<Row> sessions,
    Dataset<Row> surveys,
    Dataset<Row> consultants,
    Dataset<Row> messages,
    Dataset<Row> qaAudits,
    Dataset<Row> reviews,
    Dataset<Row> outcomes,
    Dataset<Row> workTime,
    Dataset<Row> quarantine,
    QualityReport quality) {

  public boolean hasSurveys() {
    return surveys != null;
  }
}
