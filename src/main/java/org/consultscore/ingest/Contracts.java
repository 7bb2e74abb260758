package org.consultscore.ingest;

import static org.consultscore.ingest.ContractColumn.optional;
import static org.consultscore.ingest.ContractColumn.required;

import java.util.List;
import java.util.Map;

/** The columns of each source the job reads, as the data contract fixes them. */
final class Contracts {
  static final List<ContractColumn> SESSIONS = List.of(
      required("session_id", FieldType.STRING),
      required("consultant_id", FieldType.STRING),
      required("customer_id", FieldType.STRING),
      required("started_at", FieldType.TIMESTAMP),
      optional("assigned_at", FieldType.TIMESTAMP),
      optional("first_response_at", FieldType.TIMESTAMP),
      required("ended_at", FieldType.TIMESTAMP),
      optional("channel", FieldType.STRING),
      optional("business_line", FieldType.STRING),
      optional("initiated_by", FieldType.STRING),
      optional("resolved", FieldType.BOOLEAN),
      optional("transferred", FieldType.BOOLEAN),
      optional("customer_messages", FieldType.INT),
      optional("consultant_messages", FieldType.INT));

  static final List<ContractColumn> SURVEYS = List.of(
      required("survey_id", FieldType.STRING),
      required("session_id", FieldType.STRING),
      required("submitted_at", FieldType.TIMESTAMP),
      optional("csat", FieldType.INT),
      optional("nps", FieldType.INT),
      optional("comment", FieldType.STRING));

  static final List<ContractColumn> CONSULTANTS = List.of(
      required("consultant_id", FieldType.STRING),
      optional("display_name", FieldType.STRING),
      optional("team_id", FieldType.STRING),
      optional("business_line", FieldType.STRING),
      optional("level", FieldType.STRING),
      optional("hired_at", FieldType.DATE),
      optional("active", FieldType.BOOLEAN));

  static final List<ContractColumn> MESSAGES = List.of(
      required("session_id", FieldType.STRING),
      required("sent_at", FieldType.TIMESTAMP),
      required("sender", FieldType.STRING));

  static final List<ContractColumn> QA_AUDITS = List.of(
      required("audit_id", FieldType.STRING),
      required("session_id", FieldType.STRING),
      optional("auditor_id", FieldType.STRING),
      required("audited_at", FieldType.TIMESTAMP),
      optional("accuracy", FieldType.DOUBLE),
      optional("compliance", FieldType.DOUBLE),
      optional("professionalism", FieldType.DOUBLE),
      optional("communication", FieldType.DOUBLE),
      optional("critical_error", FieldType.BOOLEAN));

  static final List<ContractColumn> REVIEWS = List.of(
      required("review_id", FieldType.STRING),
      required("reviewee_id", FieldType.STRING),
      required("reviewer_id", FieldType.STRING),
      required("relation", FieldType.STRING),
      required("reviewed_at", FieldType.DATE_OR_TIMESTAMP),
      optional("teamwork", FieldType.DOUBLE),
      optional("professionalism", FieldType.DOUBLE),
      optional("communication", FieldType.DOUBLE),
      optional("growth", FieldType.DOUBLE));

  /** customer_id is required unless session_id is given; {@link Rules} checks that pair. */
  static final List<ContractColumn> OUTCOMES = List.of(
      required("outcome_id", FieldType.STRING),
      required("outcome_type", FieldType.STRING),
      required("amount", FieldType.DECIMAL),
      required("occurred_at", FieldType.TIMESTAMP),
      optional("customer_id", FieldType.STRING),
      optional("session_id", FieldType.STRING));

  static final List<ContractColumn> WORK_TIME = List.of(
      required("consultant_id", FieldType.STRING),
      required("work_date", FieldType.DATE),
      required("logged_in_minutes", FieldType.DOUBLE));

  static final List<String> QA_ITEMS = List.of("accuracy", "compliance", "professionalism", "communication");
  static final List<String> REVIEW_ITEMS = List.of("teamwork", "professionalism", "communication", "growth");

  /** Contract columns whose input values never reach an output, not even the quarantine. */
  static final List<String> MASKED_FIELDS = List.of("customer_id", "comment");

  private static final Map<String, List<ContractColumn>> BY_SOURCE =
      Map.of("sessions", SESSIONS, "surveys", SURVEYS, "consultants", CONSULTANTS, "messages", MESSAGES,
          "qa_audits", QA_AUDITS, "reviews", REVIEWS, "outcomes", OUTCOMES, "work_time", WORK_TIME);

  private Contracts() {}

  static List<ContractColumn> of(String source) {
    List<ContractColumn> columns = BY_SOURCE.get(source);
    if (columns == null) {
      throw new IllegalArgumentException("No contract for source " + source);
    }
    return columns;
  }
}
