package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Resolves rows that share a key. Per key the first row in the given order is kept; a later
 * row equal to it on every contract column is an exact duplicate (dropped and counted), a
 * later row that differs is a conflicting duplicate (quarantined and counted).
 */
final class Deduplicator {
  static final String STATUS = "_dedup_status";
  static final String KEPT = "kept";

  private static final String GROUP = "_dedup_group";
  private static final String CONTENT = "_dedup_content";
  private static final String RANK = "_dedup_rank";
  private static final String KEPT_CONTENT = "_dedup_kept_content";

  private Deduplicator() {}

  /**
   * Adds {@link #STATUS} to each row. Rows are compared only with rows of the same key and the
   * same value of {@code group}, so rows of another group (e.g. rejected rows) never make a
   * row a duplicate.
   *
   * <p>The group and the row's content are columns before the window, so both window functions
   * partition and sort by the same columns and the rows are shuffled and sorted once. With the
   * expressions inside the window specification, Spark gives each function its own alias of
   * them, and then shuffles and sorts all rows twice.
   */
  static Dataset<Row> mark(Dataset<Row> rows, String key, Column group, List<ContractColumn> contract,
      Column... order) {
    Column content = struct(contract.stream().map(c -> col(c.name())).toArray(Column[]::new));
    Column[] ordering = new Column[order.length + 1];
    System.arraycopy(order, 0, ordering, 0, order.length);
    // The contract values break remaining ties, so the kept values do not depend on input
    // order. Rows that still tie are equal on every contract column: whichever is kept, the
    // others are exact duplicates.
    ordering[order.length] = col(CONTENT).asc();
    WindowSpec byKey = Window.partitionBy(col(key), col(GROUP)).orderBy(ordering);
    return rows
        .withColumn(GROUP, group)
        .withColumn(CONTENT, content)
        .select(col("*"), row_number().over(byKey).as(RANK), first(col(CONTENT)).over(byKey).as(KEPT_CONTENT))
        .withColumn(STATUS, when(col(RANK).equalTo(1), lit(KEPT))
            .when(col(CONTENT).eqNullSafe(col(KEPT_CONTENT)), lit(Reasons.DUPLICATE))
            .otherwise(lit(Reasons.CONFLICTING_DUPLICATE)))
        .drop(GROUP, CONTENT, RANK, KEPT_CONTENT);
  }
}
