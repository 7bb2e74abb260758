package org.consultscore.segments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Counts, per pair of consecutive periods, the people who moved from one segment to another. A
 * null from_segment_id means the person was in no segment of the previous period (not scored,
 * or the period was not clustered), and a null to_segment_id the same for the later period.
 */
final class SegmentTransitions {
  private static final Comparator<Integer> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

  private SegmentTransitions() {}

  /**
   * Builds the transition rows of every period in {@code ordered} (oldest first). The period
   * before the first one is the latest period of {@code publishedMembers} before it. Without one
   * the first period gets no rows, because there is nothing to compare with.
   *
   * @param members member rows of SegmentSchemas.members() built by this run
   */
  static List<Row> of(String grain, List<LocalDate> ordered, List<Row> members, Dataset<Row> publishedMembers) {
    Map<LocalDate, Map<String, Integer>> segmentOf = new HashMap<>();
    ordered.forEach(p -> segmentOf.put(p, new HashMap<>()));
    for (Row row : members) {
      segmentOf.get(row.getDate(1).toLocalDate()).put(row.getString(2), row.getInt(3));
    }

    List<Row> rows = new ArrayList<>();
    LocalDate previous = ordered.isEmpty() ? null : publishedBefore(publishedMembers, ordered.get(0), segmentOf);
    for (LocalDate period : ordered) {
      if (previous != null) {
        rows.addAll(count(grain, previous, period, segmentOf.get(previous), segmentOf.get(period)));
      }
      previous = period;
    }
    return rows;
  }

  /** Loads the latest published period before {@code first} into {@code segmentOf} and returns it, or null. */
  private static LocalDate publishedBefore(Dataset<Row> published, LocalDate first,
      Map<LocalDate, Map<String, Integer>> segmentOf) {
    if (published == null) {
      return null;
    }
    Dataset<Row> earlier = published.filter(col("period_start").lt(Date.valueOf(first)));
    Row latest = earlier.agg(max("period_start")).first();
    if (latest.isNullAt(0)) {
      return null;
    }
    LocalDate period = latest.getDate(0).toLocalDate();
    Map<String, Integer> segments = new HashMap<>();
    earlier.filter(col("period_start").equalTo(latest.getDate(0)))
        .select("consultant_id", "segment_id")
        .collectAsList()
        .forEach(r -> segments.put(r.getString(0), r.getInt(1)));
    segmentOf.put(period, segments);
    return period;
  }

  private static List<Row> count(String grain, LocalDate previous, LocalDate period, Map<String, Integer> before,
      Map<String, Integer> after) {
    TreeSet<String> people = new TreeSet<>(before.keySet());
    people.addAll(after.keySet());
    Map<List<Integer>, Long> counts = new TreeMap<>(Comparator
        .comparing((List<Integer> pair) -> pair.get(0), NULLS_FIRST)
        .thenComparing(pair -> pair.get(1), NULLS_FIRST));
    for (String person : people) {
      // Arrays.asList, because List.of rejects the null of a person entering or leaving.
      List<Integer> pair = Arrays.asList(before.get(person), after.get(person));
      counts.merge(pair, 1L, Long::sum);
    }
    List<Row> rows = new ArrayList<>();
    counts.forEach((pair, count) -> rows.add(RowFactory.create(grain, Date.valueOf(period), Date.valueOf(previous),
        pair.get(0), pair.get(1), count)));
    return rows;
  }
}
