package org.consultscore.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;

/** MetricAggregation.percentiles against Spark's percentile_disc on the same rows. */
class PercentilesTest {
  private static final StructType SCHEMA = new StructType()
      .add("group_id", DataTypes.StringType)
      .add("value", DataTypes.DoubleType);
  private static final double[] QUANTILES = {0.1, 0.5, 0.9, 0.95};

  private static Dataset<Row> rows(List<Row> rows) {
    return SparkTestSession.spark().createDataFrame(rows, SCHEMA);
  }

  /** Returns percentile_disc of each quantile and the non-null count, by group. */
  private static Map<String, Row> reference(Dataset<Row> data) {
    Map<String, Row> byGroup = new HashMap<>();
    Dataset<Row> expected = data.groupBy("group_id").agg(count(col("value")).as("n"),
        expr("percentile_disc(0.1) WITHIN GROUP (ORDER BY value)").as("q0"),
        expr("percentile_disc(0.5) WITHIN GROUP (ORDER BY value)").as("q1"),
        expr("percentile_disc(0.9) WITHIN GROUP (ORDER BY value)").as("q2"),
        expr("percentile_disc(0.95) WITHIN GROUP (ORDER BY value)").as("q3"));
    for (Row row : expected.collectAsList()) {
      byGroup.put(row.getString(0), row);
    }
    return byGroup;
  }

  private static Map<String, Row> computed(Dataset<Row> data) {
    Map<String, Row> byGroup = new HashMap<>();
    Dataset<Row> result = MetricAggregation.percentiles(data, new String[] {"group_id"}, "value", "n",
        List.of("q0", "q1", "q2", "q3"), QUANTILES).select("group_id", "n", "q0", "q1", "q2", "q3");
    for (Row row : result.collectAsList()) {
      byGroup.put(row.getString(0), row);
    }
    return byGroup;
  }

  @Test
  void percentilesMatchPercentileDisc() {
    List<Row> data = new ArrayList<>();
    // Even and odd sizes, ties at the rank boundaries, negative values and one value only.
    for (double v : new double[] {1, 2, 3, 4}) {
      data.add(RowFactory.create("even", v));
    }
    for (double v : new double[] {5, 1, 3, 3, 3, 9, 7}) {
      data.add(RowFactory.create("odd_ties", v));
    }
    for (double v : new double[] {-2.5, 0.25, 0.25, 10}) {
      data.add(RowFactory.create("fractions", v));
    }
    data.add(RowFactory.create("single", 42.0));
    data.add(RowFactory.create("single", null));
    Random random = new Random(7);
    for (int i = 0; i < 997; i++) {
      data.add(RowFactory.create("large", (double) random.nextInt(120)));
    }
    for (int i = 0; i < 20; i++) {
      data.add(RowFactory.create("ten_values", (double) (i % 10)));
    }
    Dataset<Row> rows = rows(data);

    Map<String, Row> expected = reference(rows);
    Map<String, Row> actual = computed(rows);
    assertEquals(expected.keySet(), actual.keySet(), "groups");
    for (String group : expected.keySet()) {
      Row want = expected.get(group);
      Row got = actual.get(group);
      assertEquals(want.getLong(1), got.getLong(1), group + ": non-null count");
      for (int q = 0; q < QUANTILES.length; q++) {
        assertEquals(want.getDouble(2 + q), got.getDouble(2 + q), group + ": percentile " + QUANTILES[q]);
      }
    }
  }

  @Test
  void nullValuesAreLeftOut() {
    Dataset<Row> rows = rows(List.of(
        RowFactory.create("a", null),
        RowFactory.create("a", null),
        RowFactory.create("b", 3.0),
        RowFactory.create("b", null),
        RowFactory.create("b", 1.0)));
    Map<String, Row> actual = computed(rows);
    assertFalse(actual.containsKey("a"), "a group with no value has no row");
    assertEquals(2L, actual.get("b").getLong(1), "nulls are not counted");
    assertEquals(1.0, actual.get("b").getDouble(3), "median of 1 and 3 is the lower value");
    assertNull(reference(rows).get("a").get(3), "percentile_disc of nulls only is null as well");
  }
}
