package org.consultscore.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Row counts per source and reason: what was read, kept, rejected, dropped as duplicate or
 * flagged. Small (a few rows per source), so it lives on the driver.
 */
public final class QualityReport {
  /** Categories of counts; only {@link #REJECTED} counts toward max_reject_rate. */
  public static final String READ = "read";
  public static final String VALID = "valid";
  public static final String REJECTED = "rejected";
  public static final String DUPLICATE = "duplicate";
  public static final String FILTERED = "filtered";
  public static final String FLAGGED = "flagged";

  /** One count of the report. */
  public record Entry(String source, String category, String reason, long rows) {}

  private final List<Entry> entries;

  QualityReport(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  public List<String> sources() {
    return entries.stream().map(Entry::source).distinct().toList();
  }

  public long count(String source, String category) {
    return entries.stream()
        .filter(e -> e.source().equals(source) && e.category().equals(category))
        .mapToLong(Entry::rows)
        .sum();
  }

  public long count(String source, String category, String reason) {
    return entries.stream()
        .filter(e -> e.source().equals(source) && e.category().equals(category) && e.reason().equals(reason))
        .mapToLong(Entry::rows)
        .sum();
  }

  /** Rejected rows over the rows the source's filter selected; 0 for an empty source. */
  public double rejectShare(String source) {
    long considered = count(source, READ) - count(source, FILTERED);
    return considered == 0 ? 0 : (double) count(source, REJECTED) / considered;
  }

  public String topReasons(String source, int limit) {
    return entries.stream()
        .filter(e -> e.source().equals(source) && e.category().equals(REJECTED))
        .sorted(Comparator.comparingLong(Entry::rows).reversed())
        .limit(limit)
        .map(e -> e.reason() + " " + e.rows())
        .collect(Collectors.joining(", "));
  }

  /** The report as aligned text lines for the console. */
  public List<String> format() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-12s %-10s %-24s %10s", "source", "category", "reason", "rows"));
    for (String source : sources()) {
      entries.stream()
          .filter(e -> e.source().equals(source))
          .forEach(e -> lines.add(String.format(Locale.ROOT, "%-12s %-10s %-24s %10d",
              e.source(), e.category(), e.reason(), e.rows())));
      lines.add(String.format(Locale.ROOT, "%-12s %-10s %-24s %9.2f%%", source, "", "reject share",
          rejectShare(source) * 100));
    }
    return lines;
  }

  /** Adds the read row per source, the sum of every category except flagged. */
  static QualityReport withTotals(List<Entry> counted) {
    Map<String, Long> read = new LinkedHashMap<>();
    for (Entry entry : counted) {
      if (!entry.category().equals(FLAGGED)) {
        read.merge(entry.source(), entry.rows(), Long::sum);
      }
    }
    List<Entry> all = new ArrayList<>();
    for (Map.Entry<String, Long> total : read.entrySet()) {
      all.add(new Entry(total.getKey(), READ, Reasons.READ, total.getValue()));
      counted.stream()
          .filter(e -> e.source().equals(total.getKey()))
          .sorted(Comparator.comparing(Entry::category).thenComparing(Entry::reason))
          .forEach(all::add);
    }
    counted.stream().filter(e -> !read.containsKey(e.source())).forEach(all::add);
    return new QualityReport(all);
  }
}
