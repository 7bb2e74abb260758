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

  /** Contract columns whose input values never reach an output, not even the quarantine. */
  static final List<String> MASKED_FIELDS = List.of("customer_id", "comment");

  private static final Map<String, List<ContractColumn>> BY_SOURCE =
      Map.of("sessions", SESSIONS, "surveys", SURVEYS, "consultants", CONSULTANTS);

  private Contracts() {}

  static List<ContractColumn> of(String source) {
    List<ContractColumn> columns = BY_SOURCE.get(source);
    if (columns == null) {
      throw new IllegalArgumentException("No contract for source " + source);
    }
    return columns;
  }
}
