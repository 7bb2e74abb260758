package org.consultscore.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The row rules of the data contract, as one reason column per source: the code of the
 * first rule a row breaks, or null for a valid row. Rules are checked in the order listed.
 */
final class Rules {
  static final String REASON = "_reason";

  private Rules() {}

  static Column sessionReason(int maxSessionHours) {
    Column started = col("started_at");
    Column ended = col("ended_at");
    Column durationSeconds = ended.cast("long").minus(started.cast("long"));
    Column responseFloor = coalesce(col("assigned_at"), started);
    return when(missing(Contracts.SESSIONS), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("started_at", "ended_at", "assigned_at", "first_response_at"), lit(Reasons.BAD_TIMESTAMP))
        .when(col("initiated_by").isNotNull()
            .and(not(lower(col("initiated_by")).isin("customer", "consultant"))), lit(Reasons.BAD_ENUM))
        .when(anyBad("resolved", "transferred", "customer_messages", "consultant_messages")
            .or(col("customer_messages").lt(0))
            .or(col("consultant_messages").lt(0)), lit(Reasons.BAD_VALUE))
        .when(ended.lt(started), lit(Reasons.NEGATIVE_DURATION))
        .when(col("assigned_at").lt(started), lit(Reasons.ASSIGNED_BEFORE_START))
        .when(col("first_response_at").lt(responseFloor), lit(Reasons.RESPONSE_BEFORE_START))
        .when(durationSeconds.gt((long) maxSessionHours * 3600), lit(Reasons.DURATION_TOO_LONG));
  }

  /** Checks of a survey on its own; orphan and survey_before_session need the sessions. */
  static Column surveyReason(int csatScale) {
    return when(missing(Contracts.SURVEYS), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("submitted_at"), lit(Reasons.BAD_TIMESTAMP))
        .when(anyBad("csat", "nps"), lit(Reasons.BAD_VALUE))
        .when(col("csat").lt(1).or(col("csat").gt(csatScale))
            .or(col("nps").lt(0)).or(col("nps").gt(10)), lit(Reasons.OUT_OF_RANGE))
        .when(col("csat").isNull().and(col("nps").isNull()), lit(Reasons.EMPTY_SURVEY));
  }

  static Column consultantReason() {
    return when(missing(Contracts.CONSULTANTS), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("hired_at", "active"), lit(Reasons.BAD_VALUE));
  }

  /** Checks of a message on its own; orphan and message_outside_session need the sessions. */
  static Column messageReason() {
    return when(missing(Contracts.MESSAGES), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("sent_at"), lit(Reasons.BAD_TIMESTAMP))
        .when(not(lower(col("sender")).isin("customer", "consultant", "system")), lit(Reasons.BAD_ENUM));
  }

  /** Checks of an audit on its own; orphan needs the sessions. */
  static Column auditReason() {
    return when(missing(Contracts.QA_AUDITS), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("audited_at"), lit(Reasons.BAD_TIMESTAMP))
        .when(anyBad("accuracy", "compliance", "professionalism", "communication", "critical_error"),
            lit(Reasons.BAD_VALUE))
        .when(outside(Contracts.QA_ITEMS, 0, 100), lit(Reasons.OUT_OF_RANGE))
        .when(allNull(Contracts.QA_ITEMS), lit(Reasons.EMPTY_AUDIT));
  }

  /** A self review is one whose reviewer is the reviewee; relation must agree with that. */
  static Column reviewReason() {
    Column relation = lower(col("relation"));
    Column selfReview = col("reviewer_id").equalTo(col("reviewee_id"));
    return when(missing(Contracts.REVIEWS), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("reviewed_at"), lit(Reasons.BAD_TIMESTAMP))
        .when(not(relation.isin("self", "peer", "manager", "subordinate")), lit(Reasons.BAD_ENUM))
        .when(selfReview.notEqual(relation.equalTo("self")), lit(Reasons.RELATION_MISMATCH))
        .when(anyBad("teamwork", "professionalism", "communication", "growth"), lit(Reasons.BAD_VALUE))
        .when(outside(Contracts.REVIEW_ITEMS, 1, 5), lit(Reasons.OUT_OF_RANGE))
        .when(allNull(Contracts.REVIEW_ITEMS), lit(Reasons.EMPTY_REVIEW));
  }

  static Column outcomeReason() {
    return when(missing(Contracts.OUTCOMES)
            .or(col("customer_id").isNull().and(col("session_id").isNull())), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("occurred_at"), lit(Reasons.BAD_TIMESTAMP))
        .when(not(lower(col("outcome_type")).isin("purchase", "renewal", "refund")), lit(Reasons.BAD_ENUM))
        .when(anyBad("amount"), lit(Reasons.BAD_VALUE))
        .when(col("amount").lt(0), lit(Reasons.OUT_OF_RANGE));
  }

  static Column workTimeReason() {
    return when(missing(Contracts.WORK_TIME), lit(Reasons.MISSING_REQUIRED))
        .when(anyBad("work_date"), lit(Reasons.BAD_TIMESTAMP))
        .when(anyBad("logged_in_minutes"), lit(Reasons.BAD_VALUE))
        .when(outside(List.of("logged_in_minutes"), 0, 1440), lit(Reasons.OUT_OF_RANGE));
  }

  private static Column outside(List<String> names, double min, double max) {
    Column any = lit(false);
    for (String name : names) {
      any = any.or(col(name).lt(min)).or(col(name).gt(max));
    }
    return any;
  }

  private static Column allNull(List<String> names) {
    Column all = lit(true);
    for (String name : names) {
      all = all.and(col(name).isNull());
    }
    return all;
  }

  /** A required column is missing when it is null and was not an unreadable value. */
  private static Column missing(List<ContractColumn> contract) {
    Column any = lit(false);
    for (ContractColumn column : contract) {
      if (column.required()) {
        any = any.or(col(column.name()).isNull().and(not(col(FieldParser.BAD_PREFIX + column.name()))));
      }
    }
    return any;
  }

  private static Column anyBad(String... names) {
    Column any = lit(false);
    for (String name : names) {
      any = any.or(col(FieldParser.BAD_PREFIX + name));
    }
    return any;
  }

  private static Column not(Column condition) {
    return org.apache.spark.sql.functions.not(condition);
  }
}
