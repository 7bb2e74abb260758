package org.consultscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Periods cut in a time zone with daylight saving (America/New_York, which moves from UTC-5 to
 * UTC-4 on 2026-03-08 and back on 2026-11-01) and ISO weeks starting on Monday.
 */
class PeriodBoundariesTest {
  @TempDir
  static Path dir;

  @AfterAll
  static void restoreTimeZone() {
    SparkTestSession.spark().conf().set("spark.sql.session.timeZone", "Asia/Shanghai");
  }

  /** Session id to the period_start its session facts got, for sessions given as UTC instants. */
  private static Map<String, String> periodsOf(String grain, String target, int lookback, String... rows) {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir.resolve(grain + target)).sessions(rows);
    project.settings("timezone = \"America/New_York\"");
    // Instants with Z: the pattern of the sessions file is cleared so ISO-8601 is read.
    project.source("sessions", "format = csv\npath = \"" + project.dir().resolve("sessions.csv") + "\"");
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);
    IngestResult input = Ingest.run(spark, config);
    RunContext run = RunContext.of("test", grain, LocalDate.parse(target), lookback, LocalDate.of(2026, 12, 4), 7);
    List<Row> facts = Metrics.run(input.sessions(), null, config, run).sessionFacts()
        .select("session_id", "period_start").collectAsList();
    Map<String, String> periods = new HashMap<>();
    facts.forEach(r -> periods.put(r.getString(0), r.getDate(1).toString()));
    return periods;
  }

  private static String session(String id, String startedUtc, String endedUtc) {
    return id + ",A,U1," + startedUtc + ",,," + endedUtc + ",web,,customer,true,false,,";
  }

  @Test
  void daylightSavingStartMovesLocalMidnight() {
    Map<String, String> periods = periodsOf("day", "2026-03-09", 1,
        // 04:30Z on 9 March is 00:30 EDT (UTC-4), so it belongs to 9 March, not 8 March
        session("spring-after", "2026-03-09T04:30:00Z", "2026-03-09T04:40:00Z"),
        // 04:30Z on 8 March is 23:30 EST (UTC-5) on 7 March, before the change
        session("spring-before", "2026-03-08T04:30:00Z", "2026-03-08T04:40:00Z"),
        // 05:30Z on 8 March is 00:30 EST on 8 March
        session("spring-day", "2026-03-08T05:30:00Z", "2026-03-08T05:40:00Z"));
    assertEquals("2026-03-09", periods.get("spring-after"), "00:30 EDT on 9 March");
    assertEquals("2026-03-08", periods.get("spring-day"), "00:30 EST on 8 March");
    assertEquals(null, periods.get("spring-before"), "7 March is outside the run's two days");
  }

  @Test
  void daylightSavingEndMovesLocalMidnight() {
    Map<String, String> periods = periodsOf("day", "2026-11-02", 1,
        // 04:30Z on 2 November is 23:30 EST (UTC-5) on 1 November, after the change back
        session("autumn-late", "2026-11-02T04:30:00Z", "2026-11-02T04:40:00Z"),
        // 05:30Z on 2 November is 00:30 EST on 2 November
        session("autumn-next", "2026-11-02T05:30:00Z", "2026-11-02T05:40:00Z"),
        // 04:30Z on 1 November is 00:30 EDT on 1 November, before the change
        session("autumn-early", "2026-11-01T04:30:00Z", "2026-11-01T04:40:00Z"));
    assertEquals("2026-11-01", periods.get("autumn-late"), "23:30 EST on 1 November");
    assertEquals("2026-11-02", periods.get("autumn-next"), "00:30 EST on 2 November");
    assertEquals("2026-11-01", periods.get("autumn-early"), "00:30 EDT on 1 November");
  }

  @Test
  void monthOfDaylightSavingDayKeepsItsSessions() {
    Map<String, String> periods = periodsOf("month", "2026-11-15", 1,
        // 03:30Z on 1 November is 23:30 EDT on 31 October
        session("october-night", "2026-11-01T03:30:00Z", "2026-11-01T03:40:00Z"),
        session("november-night", "2026-11-01T04:30:00Z", "2026-11-01T04:40:00Z"));
    assertEquals("2026-10-01", periods.get("october-night"));
    assertEquals("2026-11-01", periods.get("november-night"));
  }

  @Test
  void isoWeeksStartOnMonday() {
    Map<String, String> periods = periodsOf("week", "2027-01-01", 1,
        // Sunday 8 March 2026 lies outside the two weeks of the run
        session("sunday", "2026-03-08T15:00:00Z", "2026-03-08T15:10:00Z"),
        // Friday 1 January 2027 belongs to the ISO week of Monday 28 December 2026
        session("new-year", "2027-01-01T15:00:00Z", "2027-01-01T15:10:00Z"),
        session("monday", "2026-12-28T15:00:00Z", "2026-12-28T15:10:00Z"),
        // Sunday 27 December 2026 is in the week before
        session("sunday-before", "2026-12-27T15:00:00Z", "2026-12-27T15:10:00Z"));
    assertEquals("2026-12-28", periods.get("new-year"), "1 January 2027 is in ISO week 2026-W53");
    assertEquals("2026-12-28", periods.get("monday"));
    assertEquals("2026-12-21", periods.get("sunday-before"), "the lookback week");
    assertEquals(null, periods.get("sunday"), "March is outside the run");
  }
}
