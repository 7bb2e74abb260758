package org.consultscore.ingest;

/**
 * Stable reason codes of rejected rows and of the other counts in data_quality. BI reports
 * and alerts key on these strings, so they never change meaning.
 */
public final class Reasons {
  public static final String MISSING_REQUIRED = "missing_required";
  public static final String BAD_TIMESTAMP = "bad_timestamp";
  public static final String BAD_ENUM = "bad_enum";
  public static final String BAD_VALUE = "bad_value";
  public static final String OUT_OF_RANGE = "out_of_range";
  public static final String NEGATIVE_DURATION = "negative_duration";
  public static final String ASSIGNED_BEFORE_START = "assigned_before_start";
  public static final String RESPONSE_BEFORE_START = "response_before_start";
  public static final String DURATION_TOO_LONG = "duration_too_long";
  public static final String ORPHAN = "orphan";
  public static final String SURVEY_BEFORE_SESSION = "survey_before_session";
  public static final String EMPTY_SURVEY = "empty_survey";
  public static final String MESSAGE_OUTSIDE_SESSION = "message_outside_session";
  public static final String EMPTY_AUDIT = "empty_audit";
  public static final String EMPTY_REVIEW = "empty_review";
  public static final String RELATION_MISMATCH = "relation_mismatch";
  public static final String CONFLICTING_DUPLICATE = "conflicting_duplicate";

  /** Counts that are not rejections. */
  public static final String READ = "read";
  public static final String VALID = "valid";
  public static final String FILTERED_OUT = "filtered_out";
  public static final String DUPLICATE = "duplicate";
  public static final String SUPERSEDED_SURVEY = "superseded_survey";
  public static final String UNKNOWN_CONSULTANT = "unknown_consultant";
  public static final String UNATTRIBUTED_OUTCOME = "unattributed_outcome";
  public static final String WORK_TIME_CAPPED = "work_time_capped";

  private Reasons() {}
}
