package org.consultscore.config;

/**
 * Base of every error the job raises on purpose. The CLI maps it to an exit code, so a
 * scheduler can tell a problem the operator must fix (bad config or input, exit 2) from a
 * failure that may pass on retry (exit 1).
 */
public class ConsultScoreException extends RuntimeException {
  private final int exitCode;

  public ConsultScoreException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public ConsultScoreException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
