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
  public static final String CONFLICTING_DUPLICATE = "conflicting_duplicate";

  /** Counts that are not rejections. */
  public static final String READ = "read";
  public static final String VALID = "valid";
  public static final String FILTERED_OUT = "filtered_out";
  public static final String DUPLICATE = "duplicate";
  public static final String SUPERSEDED_SURVEY = "superseded_survey";
  public static final String UNKNOWN_CONSULTANT = "unknown_consultant";

  private Reasons() {}
}
