package org.consultscore.config;

import java.util.List;

/**
 * Factory of the errors users see. Each message names the file, source, column or key,
 * says what is wrong and what to do. Bad config and bad input exit with code 2.
 */
public final class Errors {
  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_FAILURE = 1;

  private Errors() {}

  public static ConsultScoreException invalidConfig(String origin, String key, String problem) {
    return new ConsultScoreException(
        "Invalid configuration: key '" + key + "' in " + origin + ": " + problem, EXIT_BAD_INPUT);
  }

  public static ConsultScoreException unknownConfigKey(String origin, String key, List<String> known) {
    return new ConsultScoreException(
        "Invalid configuration: unknown key '" + key + "' in " + origin
            + " (check the spelling; keys allowed here: " + String.join(", ", known) + ")",
        EXIT_BAD_INPUT);
  }

  public static ConsultScoreException configFileNotFound(String path) {
    return new ConsultScoreException(
        "Configuration file not found: " + path + " (pass an existing file with --config)",
        EXIT_BAD_INPUT);
  }

  public static ConsultScoreException missingColumn(String source, String column, String path, List<String> available) {
    return new ConsultScoreException(
        "Source '" + source + "' (" + path + ") has no column for required field '" + column
            + "': map it under sources." + source + ".columns." + column
            + " (columns in the input: " + String.join(", ", available) + ")",
        EXIT_BAD_INPUT);
  }

  public static ConsultScoreException invalidMapping(String source, String column, String expression, String reason) {
    return new ConsultScoreException(
        "Source '" + source + "': mapping of '" + column + "' = \"" + expression
            + "\" is neither a column of the input nor a valid SQL expression: " + reason,
        EXIT_BAD_INPUT);
  }

  public static ConsultScoreException unreadableSource(String source, String path, Throwable cause) {
    return new ConsultScoreException(
        "Source '" + source + "': cannot read " + path + " (set by sources." + source + ".path): "
            + firstLine(cause.getMessage()),
        EXIT_BAD_INPUT, cause);
  }

  public static ConsultScoreException rejectRateExceeded(String source, double share, double max, String topReasons) {
    return new ConsultScoreException(
        String.format(java.util.Locale.ROOT,
            "Source '%s': %.2f%% of rows were rejected, above max_reject_rate %.2f%% (top reasons: %s);"
                + " nothing was published. Fix the input or raise quality.max_reject_rate.",
            source, share * 100, max * 100, topReasons),
        EXIT_BAD_INPUT);
  }

  public static ConsultScoreException unknownScorecard(String what) {
    return new ConsultScoreException(what, EXIT_BAD_INPUT);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
