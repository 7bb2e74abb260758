package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;

/** The statuses of rows that share a key, and the one shuffle that computes them. */
class DeduplicatorTest {
  private static final List<ContractColumn> CONTRACT = List.of(
      ContractColumn.required("id", FieldType.STRING),
      ContractColumn.optional("value", FieldType.STRING),
      ContractColumn.optional("version", FieldType.INT));
  private static final StructType SCHEMA = new StructType()
      .add("row", DataTypes.StringType)
      .add("id", DataTypes.StringType)
      .add("value", DataTypes.StringType)
      .add("version", DataTypes.IntegerType)
      .add("_reason", DataTypes.StringType);

  private static Dataset<Row> marked() {
    SparkSession spark = SparkTestSession.spark();
    List<Row> rows = List.of(
        RowFactory.create("a-new", "A", "x", 2, null),
        RowFactory.create("a-old", "A", "y", 1, null),
        RowFactory.create("a-copy", "A", "x", 2, null),
        RowFactory.create("b-only", "B", "x", 1, null),
        // A rejected row is compared only with other rejected rows of its key.
        RowFactory.create("b-rejected", "B", "z", 9, "bad_value"));
    // Three input partitions, so the window needs a shuffle by key.
    Dataset<Row> input = spark.createDataFrame(rows, SCHEMA).repartition(3);
    return Deduplicator.mark(input, "id", col("_reason").isNull(), CONTRACT, col("version").desc());
  }

  @Test
  void marksCopiesAndConflicts() {
    Map<String, String> status = marked().collectAsList().stream()
        .collect(Collectors.toMap(row -> row.getString(0), row -> row.getAs(Deduplicator.STATUS)));
    // a-new and a-copy are equal on every contract column, so either may be the kept one.
    assertEquals(List.of(Reasons.DUPLICATE, Deduplicator.KEPT),
        List.of(status.get("a-new"), status.get("a-copy")).stream().sorted().toList());
    assertEquals(Reasons.CONFLICTING_DUPLICATE, status.get("a-old"));
    assertEquals(Deduplicator.KEPT, status.get("b-only"));
    assertEquals(Deduplicator.KEPT, status.get("b-rejected"));
  }

  @Test
  void shufflesOnceByKey() {
    Dataset<Row> marked = marked();
    assertEquals(List.of("row", "id", "value", "version", "_reason", Deduplicator.STATUS), List.of(marked.columns()));
    String plan = marked.queryExecution().executedPlan().toString();
    Matcher byKey = Pattern.compile("Exchange hashpartitioning\\(id").matcher(plan);
    int shuffles = 0;
    while (byKey.find()) {
      shuffles++;
    }
    assertEquals(1, shuffles, plan);
  }
}
