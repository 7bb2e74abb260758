package org.consultscore.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Settings of {@link ScaleDataGenerator}. Rates are shares of all sessions; the command line
 * checks their ranges before building this record.
 *
 * @param format parquet, csv, json or delta
 * @param reviewsPerMonth 360-degree reviews per consultant and calendar month
 * @param workTimeShare share of consultant-days that have a work_time row
 * @param warehouse output.path of the written config; null means {@code <output>/warehouse}
 */
public record ScaleOptions(
    int consultants,
    int days,
    long sessionsPerDay,
    LocalDate firstDay,
    long seed,
    String format,
    int messagesPerSession,
    double surveyRate,
    double auditRate,
    double outcomeRate,
    int reviewsPerMonth,
    double workTimeShare,
    Path warehouse) {

  public static final List<String> FORMATS = List.of("parquet", "csv", "json", "delta");

  /** Returns the number of sessions: days times sessions per day. */
  public long sessions() {
    return days * sessionsPerDay;
  }

  /** Returns the last day that has sessions. */
  public LocalDate lastDay() {
    return firstDay.plusDays(days - 1L);
  }

  /** Returns true for CSV and JSON, whose timestamps are written as text. */
  boolean textFormat() {
    return format.equals("csv") || format.equals("json");
  }
}
