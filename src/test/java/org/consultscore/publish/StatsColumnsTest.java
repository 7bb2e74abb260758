package org.consultscore.publish;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** session_facts records file statistics of its filter columns only, also in a table made before. */
class StatsColumnsTest {
  private static final String LIMITED = String.join(",", Tables.STATS_COLUMNS.get(Tables.SESSION_FACTS));
  private static final List<LocalDate> SEPTEMBER = List.of(LocalDate.of(2026, 9, 1));

  private final SparkSession spark = SparkTestSession.spark();

  @TempDir
  Path dir;

  private Dataset<Row> facts() {
    return spark.sql("SELECT 'month' AS period_grain, DATE'2026-09-01' AS period_start, 's1' AS session_id,"
        + " 'c1' AS consultant_id, 't1' AS team_id, 'loans' AS business_line, 'chat' AS channel,"
        + " TIMESTAMP'2026-09-03 10:00:00' AS started_at, 42.5D AS frt_s");
  }

  private String property(Publisher publisher, String table) {
    Row detail = DeltaTable.forPath(spark, publisher.location(table)).detail().first();
    return detail.<String, String>getJavaMap(detail.fieldIndex("properties")).get(Publisher.STATS_COLUMNS_PROPERTY);
  }

  /** Returns the statistics of the files added by the table's latest commit, as JSON strings. */
  private List<String> latestStats(Publisher publisher, String table) {
    long version = DeltaTable.forPath(spark, publisher.location(table)).history(1).first().getLong(0);
    String log = publisher.location(table) + String.format("/_delta_log/%020d.json", version);
    return spark.read().json(log).filter(col("add").isNotNull()).select("add.stats").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void newTableRecordsFilterColumnStats() {
    Publisher publisher = new Publisher(spark, dir.toString(), "consultscore_stats_new");
    assertEquals(1, publisher.replacePeriods(Tables.SESSION_FACTS, facts(), "month", SEPTEMBER, "run-a", null));
    publisher.replacePeriods("other_facts", facts(), "month", SEPTEMBER, "run-a", null);

    assertEquals(LIMITED, property(publisher, Tables.SESSION_FACTS));
    List<String> stats = latestStats(publisher, Tables.SESSION_FACTS);
    assertFalse(stats.isEmpty());
    for (String file : stats) {
      assertTrue(file.contains("\"consultant_id\":\"c1\""), file);
      assertFalse(file.contains("frt_s"), "no statistics of frt_s: " + file);
    }
    assertNull(property(publisher, "other_facts"), "other tables keep Delta's default");
    assertTrue(latestStats(publisher, "other_facts").get(0).contains("frt_s"));
  }

  @Test
  void existingTableGetsLimitOnNextWrite() {
    Publisher publisher = new Publisher(spark, dir.toString(), "consultscore_stats_old");
    facts().write().format("delta").partitionBy("period_grain", "period_start")
        .save(publisher.location(Tables.SESSION_FACTS));
    assertNull(property(publisher, Tables.SESSION_FACTS));

    publisher.replacePeriods(Tables.SESSION_FACTS, facts(), "month", SEPTEMBER, "run-b", null);
    assertEquals(LIMITED, property(publisher, Tables.SESSION_FACTS));
    for (String file : latestStats(publisher, Tables.SESSION_FACTS)) {
      assertFalse(file.contains("frt_s"), "no statistics of frt_s: " + file);
    }
    assertEquals(1L, spark.read().format("delta").load(publisher.location(Tables.SESSION_FACTS)).count(),
        "the run's write replaced the period");
    long commits = DeltaTable.forPath(spark, publisher.location(Tables.SESSION_FACTS)).history().count();
    publisher.replacePeriods(Tables.SESSION_FACTS, facts(), "month", SEPTEMBER, "run-c", null);
    assertEquals(commits + 1, DeltaTable.forPath(spark, publisher.location(Tables.SESSION_FACTS)).history().count(),
        "a table that has the limit gets no other commit");
  }
}
