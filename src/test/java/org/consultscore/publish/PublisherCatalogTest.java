package org.consultscore.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherCatalogTest {
  private final SparkSession spark = SparkTestSession.spark();

  @TempDir
  Path dir;

  @Test
  void staleCatalogEntryDoesNotFailWrite() throws Exception {
    String database = "consultscore_stale_catalog";
    Publisher first = new Publisher(spark, dir.resolve("first").toString(), database);
    first.append("events", spark.range(1).toDF("id"));
    FileUtils.deleteDirectory(dir.resolve("first").toFile());

    // The catalog still points at the deleted folder; a run writing elsewhere must go on.
    Publisher second = new Publisher(spark, dir.resolve("second").toString(), database);
    second.append("events", spark.range(2).toDF("id"));

    Dataset<Row> written = spark.read().format("delta").load(second.location("events"));
    assertEquals(2, written.count(), "the second run's rows are written by path");
    List<Row> tables = spark.sql("SHOW TABLES IN " + database).collectAsList();
    assertTrue(tables.stream().anyMatch(r -> r.getAs("tableName").equals("events")), "the catalog entry is kept");
  }
}
