package org.consultscore.job;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segments tables of a run on data-samples, published twice for the same target period. */
class SegmentTablesJobTest {
  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static String warehouse;
  private static List<Row> membersAfterFirst;
  private static List<Row> transitionsAfterFirst;

  @BeforeAll
  static void runTwice() {
    spark = SparkTestSession.spark();
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir.resolve("samples"), ""));
    SparkSessions.configure(spark, config);
    warehouse = config.outputPath();
    NightlyJob job = new NightlyJob(spark, config);
    job.run(job.plan(LocalDate.of(2026, 10, 15), "month"));
    membersAfterFirst = sorted(table(Tables.CONSULTANT_SEGMENTS).select("period_start", "consultant_id", "segment_id"));
    transitionsAfterFirst = sorted(table(Tables.SEGMENT_TRANSITIONS).drop("run_id"));
    job.run(job.plan(LocalDate.of(2026, 10, 15), "month"));
  }

  private static Dataset<Row> table(String name) {
    return spark.read().format("delta").load(warehouse + "/" + name);
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    String[] columns = rows.columns();
    return rows.orderBy(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length)).collectAsList();
  }

  @Test
  void transitionsCoverOctober() {
    Dataset<Row> october = table(Tables.SEGMENT_TRANSITIONS).filter(col("period_start").equalTo("2026-10-01"));
    assertTrue(october.count() > 0, "October has transition rows");
    assertEquals("2026-09-01", october.first().getDate(october.first().fieldIndex("previous_period_start")).toString(),
        "October is compared with September");
    long people = october.agg(org.apache.spark.sql.functions.sum("people")).first().getLong(0);
    long inEither = table(Tables.CONSULTANT_SEGMENTS).select("consultant_id").distinct().count();
    assertEquals(inEither, people, "each person in a segment of either month is counted once");
  }

  @Test
  void rerunKeepsSegmentsAndTransitions() {
    assertEquals(membersAfterFirst,
        sorted(table(Tables.CONSULTANT_SEGMENTS).select("period_start", "consultant_id", "segment_id")),
        "the same segment ids after a rerun");
    assertEquals(transitionsAfterFirst, sorted(table(Tables.SEGMENT_TRANSITIONS).drop("run_id")),
        "the same transitions after a rerun");
  }

  @Test
  void runLogHasSegmentNotes() {
    Row last = table(Tables.RUN_LOG).orderBy(col("started_at").desc()).first();
    List<String> notes = last.getList(last.fieldIndex("notes"));
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("segments 2026-10-01: ")), notes.toString());
  }
}
