package org.consultscore.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import org.consultscore.TestProject;

/**
 * One line of a sessions CSV with the columns of {@link TestProject#SESSIONS_HEADER}. The
 * defaults make a valid ten-minute inbound session of consultant A on 1 September 2026, so a
 * test sets only the fields it exercises.
 */
final class SessionLine {
  private final Map<String, String> values = new LinkedHashMap<>();

  private SessionLine(String sessionId) {
    values.put("session_id", sessionId);
    values.put("consultant_id", "A");
    values.put("customer_id", "U1");
    values.put("started_at", "2026-09-01 10:00:00");
    values.put("assigned_at", "");
    values.put("first_response_at", "2026-09-01 10:00:30");
    values.put("ended_at", "2026-09-01 10:10:00");
    values.put("channel", "web");
    values.put("business_line", "");
    values.put("initiated_by", "customer");
    values.put("resolved", "true");
    values.put("transferred", "false");
    values.put("customer_messages", "3");
    values.put("consultant_messages", "4");
  }

  static SessionLine session(String sessionId) {
    return new SessionLine(sessionId);
  }

  SessionLine with(String column, String value) {
    if (!values.containsKey(column)) {
      throw new IllegalArgumentException("not a sessions column: " + column);
    }
    values.put(column, value);
    return this;
  }

  String csv() {
    return String.join(",", values.values());
  }
}
