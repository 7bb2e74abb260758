package org.consultscore.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row count of a run's write comes from its own commit, not from the table's latest one. */
class CommittedRowsTest {
  private final SparkSession spark = SparkTestSession.spark();

  @TempDir
  Path dir;

  private Dataset<Row> periodRows(long rows, String period) {
    return spark.range(rows).toDF("id")
        .withColumn("period_grain", lit("month"))
        .withColumn("period_start", to_date(lit(period)));
  }

  @Test
  void countsOwnCommitAfterLaterRun() {
    Publisher publisher = new Publisher(spark, dir.toString(), "consultscore_committed_rows");
    long first = publisher.replacePeriods("facts", periodRows(3, "2026-09-01"), "month",
        List.of(LocalDate.of(2026, 9, 1)), "run-a", null);
    long second = publisher.replacePeriods("facts", periodRows(5, "2026-10-01"), "month",
        List.of(LocalDate.of(2026, 10, 1)), "run-b", null);

    assertEquals(3, first, "rows of run-a's write");
    assertEquals(5, second, "rows of run-b's write");
    assertEquals(3, publisher.committedRows("facts", "run-a"), "run-a's commit, though run-b committed after it");
    assertEquals(0, publisher.committedRows("facts", "run-c"), "a run without a commit");
  }

  @Test
  void commitRecordsRunId() {
    Publisher publisher = new Publisher(spark, dir.toString(), "consultscore_committed_rows");
    publisher.replaceAll("catalog", spark.range(2).toDF("id"), "run-a", "v1");

    Row last = io.delta.tables.DeltaTable.forPath(spark, publisher.location("catalog")).history(1)
        .select(col("userMetadata")).first();
    assertEquals("run-a", last.getString(0), "DESCRIBE HISTORY shows the run id");
  }
}
