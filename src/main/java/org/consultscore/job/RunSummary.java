package org.consultscore.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.ingest.QualityReport;

/**
 * The end-of-run summary for operators and managers, in English and Chinese: per period the
 * top and bottom consultants, grade counts and segments, then rejected rows and where the
 * tables are. Reads only the run's small result tables.
 */
public final class RunSummary {
  private static final int SHOWN = 3;

  private RunSummary() {}

  public static void print(RunResult result, PrintStream out) {
    out.println();
    out.printf(Locale.ROOT, "ConsultScore run %s: stages finished in %.1f s / 各阶段完成，用时 %.1f 秒%n",
        result.run().runId(), result.totalSeconds(), result.totalSeconds());
    stageLine(result, out);
    for (LocalDate period : result.run().periods()) {
      period(result, period, out);
    }
    quarantine(result.quality(), out);
    out.println();
    out.println("Tables / 结果表:");
    result.tableLocations().forEach((name, location) -> out.printf(Locale.ROOT, "  %-34s %s%n", name, location));
  }

  private static void stageLine(RunResult result, PrintStream out) {
    List<String> stages = new java.util.ArrayList<>();
    for (Map.Entry<String, Double> stage : result.stageSeconds().entrySet()) {
      stages.add(String.format(Locale.ROOT, "%s %,d rows %.1fs", stage.getKey(),
          result.stageRows().getOrDefault(stage.getKey(), 0L), stage.getValue()));
    }
    out.println("Stages / 各阶段: " + String.join("; ", stages));
  }

  private static void period(RunResult result, LocalDate period, PrintStream out) {
    Dataset<Row> rows = result.scores().filter(col("period_start").equalTo(Date.valueOf(period)));
    long people = rows.count();
    List<Row> scored = rows.filter(col("composite").isNotNull())
        .orderBy(col("rank_overall").asc(), col("consultant_id").asc())
        .select("consultant_id", "display_name", "business_line", "composite", "grade", "rank_overall")
        .collectAsList();
    out.println();
    out.printf(Locale.ROOT, "== %s %s (%s) ==  consultants %d, scored %d / 顾问 %d 人，参与评分 %d 人%n",
        result.run().grain(), period, result.run().isFinal(period) ? "final 已定稿" : "provisional 暂定",
        people, scored.size(), people, scored.size());
    if (scored.isEmpty()) {
      out.println("  No consultant met the scoring rules in this period / 本期无人满足评分条件");
    } else {
      out.println("  Top / 排名靠前:");
      scored.subList(0, Math.min(SHOWN, scored.size())).forEach(row -> person(row, out));
      out.println("  Bottom / 排名靠后:");
      scored.subList(Math.max(0, scored.size() - SHOWN), scored.size()).forEach(row -> person(row, out));
      grades(rows, out);
    }
    segments(result, period, out);
  }

  private static void person(Row row, PrintStream out) {
    String name = row.isNullAt(1) ? "" : " " + row.getString(1);
    out.printf(Locale.ROOT, "    #%-3d %-14s%-10s %-12s composite %5.1f  grade %s%n",
        row.getInt(5), row.getString(0), name, row.getString(2), row.getDouble(3), row.getString(4));
  }

  private static void grades(Dataset<Row> rows, PrintStream out) {
    List<Row> counts = rows.filter(col("grade").isNotNull()).groupBy("grade").agg(count("*"))
        .orderBy("grade").collectAsList();
    StringBuilder line = new StringBuilder("  Grades / 等级分布:");
    for (String grade : List.of("S", "A", "B", "C", "D")) {
      long n = counts.stream().filter(r -> r.getString(0).equals(grade)).mapToLong(r -> r.getLong(1)).sum();
      line.append(' ').append(grade).append('=').append(n);
    }
    out.println(line);
  }

  private static void segments(RunResult result, LocalDate period, PrintStream out) {
    List<Row> profiles = result.segmentProfiles()
        .filter(col("period_start").equalTo(Date.valueOf(period)))
        .orderBy("segment_id")
        .select("segment_id", "size", "share", "segment_label_en", "segment_label_zh", "composite_mean")
        .collectAsList();
    String note = result.segmentNotes().getOrDefault(period, "");
    out.println("  Segments / 人群分层: " + note);
    for (Row profile : profiles) {
      out.printf(Locale.ROOT, "    segment %d: %3d people (%4.1f%%)  mean composite %5.1f  %s / %s%n",
          profile.getInt(0), profile.getLong(1), profile.getDouble(2) * 100, profile.getDouble(5),
          profile.getString(3), profile.getString(4));
    }
  }

  private static void quarantine(QualityReport quality, PrintStream out) {
    out.println();
    out.println("Rejected rows (quarantine) / 隔离的问题数据:");
    boolean any = false;
    for (QualityReport.Entry entry : quality.entries()) {
      boolean quarantined = entry.category().equals(QualityReport.REJECTED)
          || entry.reason().equals(org.consultscore.ingest.Reasons.CONFLICTING_DUPLICATE);
      if (quarantined) {
        out.printf(Locale.ROOT, "  %-12s %-24s %6d%n", entry.source(), entry.reason(), entry.rows());
        any = true;
      }
    }
    if (!any) {
      out.println("  none / 无");
    }
  }
}
