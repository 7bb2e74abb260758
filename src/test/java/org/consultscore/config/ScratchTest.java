package org.consultscore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's scratch folder: what is written there reads back unchanged, and closing deletes it. */
class ScratchTest {
  private static final StructType SCHEMA = new StructType()
      .add("session_id", DataTypes.StringType)
      .add("sent_at", DataTypes.TimestampType)
      .add("amount", DataTypes.createDecimalType(18, 2))
      .add("answered", DataTypes.BooleanType);

  @TempDir
  Path dir;

  private static Dataset<Row> rows(SparkSession spark) {
    return spark.createDataFrame(List.of(
        RowFactory.create("s1", Timestamp.valueOf("2026-09-03 10:15:00.123456"), new java.math.BigDecimal("12.50"), true),
        RowFactory.create("s2", null, null, false)), SCHEMA);
  }

  @Test
  void scratchPathDefaultsToFolderUnderOutput() {
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir, ""));
    assertEquals(dir.resolve("warehouse").resolve("_scratch").toString(), config.scratchPath());
    AppConfig moved = ConfigLoader.load(SampleConfig.write(dir.resolve("moved"),
        "output.scratch_path = \"" + dir.resolve("tmp") + "\""));
    assertEquals(dir.resolve("tmp").toString(), moved.scratchPath());
  }

  @Test
  void materializeReadsBackCloseDeletes() {
    SparkSession spark = SparkTestSession.spark();
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir, ""));
    Path folder = Path.of(config.scratchPath(), "run-1");
    Dataset<Row> read;
    try (Scratch scratch = Scratch.of(spark, config, "run-1")) {
      read = scratch.materialize("facts", rows(spark));
      assertTrue(Files.isDirectory(folder.resolve("facts")), "Parquet folder written");
      assertEquals(SCHEMA, read.schema());
      assertEquals(rows(spark).orderBy("session_id").collectAsList(), read.orderBy("session_id").collectAsList());
      assertEquals(1L, read.select("session_id").filter("answered").count());
    }
    assertFalse(Files.exists(folder), "closing deletes the run's folder");
    assertFalse(Files.exists(folder.getParent()), "and the default _scratch folder, which no other run uses");
  }

  @Test
  void scratchFilesHaveNoDictionaryPages() throws Exception {
    SparkSession spark = SparkTestSession.spark();
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir, ""));
    // Repeated values, which Parquet would store with a dictionary by default.
    Dataset<Row> repeated = spark.range(1000).selectExpr("concat('team-', id % 3) AS team_id", "id % 5 AS level")
        .coalesce(1);
    try (Scratch scratch = Scratch.of(spark, config, "run-3")) {
      assertEquals(333L, scratch.materialize("teams", repeated).filter("team_id = 'team-1'").count());
      List<Path> parts;
      try (var files = Files.list(Path.of(config.scratchPath(), "run-3", "teams"))) {
        parts = files.filter(file -> file.getFileName().toString().endsWith(".parquet")).toList();
      }
      assertEquals(1, parts.size());
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
          new org.apache.hadoop.fs.Path(parts.get(0).toUri()), new Configuration()))) {
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData column : block.getColumns()) {
            assertFalse(column.hasDictionaryPage(), column.getPath() + " has a dictionary page");
          }
        }
      }
    }
  }

  @Test
  void configuredScratchPathIsKept() {
    SparkSession spark = SparkTestSession.spark();
    Path own = dir.resolve("own-scratch");
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir, "output.scratch_path = \"" + own + "\""));
    try (Scratch scratch = Scratch.of(spark, config, "run-2")) {
      scratch.materialize("facts", rows(spark));
    }
    assertFalse(Files.exists(own.resolve("run-2")), "the run's folder is deleted");
    assertTrue(Files.isDirectory(own), "a scratch path set in the config stays");
  }

  @Test
  void inMemoryScratchWritesNoFile() {
    SparkSession spark = SparkTestSession.spark();
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir, ""));
    try (Scratch scratch = Scratch.inMemory(spark)) {
      Dataset<Row> checkpointed = scratch.materialize("facts", rows(spark));
      assertEquals(2L, checkpointed.count());
    }
    assertFalse(Files.exists(Path.of(config.scratchPath())), "no scratch folder");
  }
}
