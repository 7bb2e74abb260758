package org.consultscore.job;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.consultscore.ingest.QualityReport;
import org.consultscore.ingest.Reasons;

/**
 * The end-of-run summary for operators and managers, in English and Chinese: per period the
 * top and bottom consultants, grade counts and segments, then rejected rows and where the
 * tables are. It collects the run's score and segment rows once (one row per consultant and
 * period, bounded by the roster) and formats them on the driver.
 */
public final class RunSummary {
  private static final int SHOWN = 3;

  private RunSummary() {}

  /** One consultant's line of the summary. */
  private record Person(LocalDate period, String id, String name, String line, Double composite, String grade,
      Integer rank) {}

  /** One segment's line of the summary. */
  private record Segment(LocalDate period, int id, long size, double share, String labelEn, String labelZh,
      double compositeMean) {}

  public static void print(RunResult result, PrintStream out) {
    List<Person> people = people(result);
    List<Segment> segments = segments(result);
    out.println();
    out.printf(Locale.ROOT, "ConsultScore run %s: stages finished in %.1f s / 各阶段完成，用时 %.1f 秒%n",
        result.run().runId(), result.totalSeconds(), result.totalSeconds());
    stageLine(result, out);
    for (LocalDate period : result.run().periods()) {
      period(result, period, people, segments, out);
    }
    quarantine(result.quality(), out);
    out.println();
    out.println("Tables / 结果表:");
    result.tableLocations().forEach((name, location) -> out.printf(Locale.ROOT, "  %-38s %s%n", name, location));
  }

  private static List<Person> people(RunResult result) {
    List<Person> people = new ArrayList<>();
    for (Row row : result.scores()
        .select(col("period_start"), col("consultant_id"), col("display_name"), col("business_line"),
            col("composite"), col("grade"), col("rank_overall"))
        .collectAsList()) {
      people.add(new Person(row.getDate(0).toLocalDate(), row.getString(1), row.getString(2), row.getString(3),
          row.isNullAt(4) ? null : row.getDouble(4), row.getString(5), row.isNullAt(6) ? null : row.getInt(6)));
    }
    return people;
  }

  private static List<Segment> segments(RunResult result) {
    List<Segment> segments = new ArrayList<>();
    for (Row row : result.segmentProfiles()
        .select("period_start", "segment_id", "size", "share", "segment_label_en", "segment_label_zh", "composite_mean")
        .collectAsList()) {
      segments.add(new Segment(row.getDate(0).toLocalDate(), row.getInt(1), row.getLong(2), row.getDouble(3),
          row.getString(4), row.getString(5), row.getDouble(6)));
    }
    segments.sort(Comparator.comparing(Segment::period).thenComparingInt(Segment::id));
    return segments;
  }

  private static void stageLine(RunResult result, PrintStream out) {
    List<String> stages = new ArrayList<>();
    for (Map.Entry<String, Double> stage : result.stageSeconds().entrySet()) {
      stages.add(String.format(Locale.ROOT, "%s %,d rows %.1fs", stage.getKey(),
          result.stageRows().getOrDefault(stage.getKey(), 0L), stage.getValue()));
    }
    out.println("Stages / 各阶段: " + String.join("; ", stages));
  }

  private static void period(RunResult result, LocalDate period, List<Person> people, List<Segment> segments,
      PrintStream out) {
    List<Person> inPeriod = people.stream().filter(p -> p.period().equals(period)).toList();
    List<Person> scored = inPeriod.stream()
        .filter(p -> p.composite() != null)
        .sorted(Comparator.comparing(Person::rank).thenComparing(Person::id))
        .toList();
    out.println();
    out.printf(Locale.ROOT, "== %s %s (%s) ==  consultants %d, scored %d / 顾问 %d 人，参与评分 %d 人%n",
        result.run().grain(), period, result.run().isFinal(period) ? "final 已定稿" : "provisional 暂定",
        inPeriod.size(), scored.size(), inPeriod.size(), scored.size());
    if (scored.isEmpty()) {
      out.println("  No consultant met the scoring rules in this period / 本期无人满足评分条件");
    } else {
      out.println("  Top / 排名靠前:");
      scored.subList(0, Math.min(SHOWN, scored.size())).forEach(p -> person(p, out));
      out.println("  Bottom / 排名靠后:");
      scored.subList(Math.max(0, scored.size() - SHOWN), scored.size()).forEach(p -> person(p, out));
      grades(scored, out);
    }
    out.println("  Segments / 人群分层: " + result.segmentNotes().getOrDefault(period, ""));
    segments.stream().filter(s -> s.period().equals(period)).forEach(s -> out.printf(Locale.ROOT,
        "    segment %d: %3d %s (%4.1f%%)  mean composite %5.1f  %s / %s%n",
        s.id(), s.size(), s.size() == 1 ? "person" : "people", s.share() * 100, s.compositeMean(), s.labelEn(),
        s.labelZh()));
  }

  private static void person(Person person, PrintStream out) {
    String name = person.name() == null ? "" : " " + person.name();
    out.printf(Locale.ROOT, "    #%-3d %-14s%-10s %-12s composite %5.1f  grade %s%n",
        person.rank(), person.id(), name, person.line(), person.composite(), person.grade());
  }

  private static void grades(List<Person> scored, PrintStream out) {
    StringBuilder line = new StringBuilder("  Grades / 等级分布:");
    for (String grade : List.of("S", "A", "B", "C", "D")) {
      long count = scored.stream().filter(p -> grade.equals(p.grade())).count();
      line.append(' ').append(grade).append('=').append(count);
    }
    out.println(line);
  }

  private static void quarantine(QualityReport quality, PrintStream out) {
    out.println();
    out.println("Rejected rows (quarantine) / 隔离的问题数据:");
    boolean any = false;
    for (QualityReport.Entry entry : quality.entries()) {
      boolean quarantined = entry.category().equals(QualityReport.REJECTED)
          || entry.reason().equals(Reasons.CONFLICTING_DUPLICATE);
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
