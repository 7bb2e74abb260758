package org.consultscore.config;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The periods one run computes and publishes: the target period and the lookback periods
 * before it, oldest first, with the run's id and local date (which decides is_final).
 */
public record RunContext(String runId, String grain, LocalDate target, List<LocalDate> periods,
    LocalDate runDate, int settleDays) {

  public static RunContext of(String runId, String grain, LocalDate dateInPeriod, int lookbackPeriods,
      LocalDate runDate, int settleDays) {
    LocalDate target = periodStart(dateInPeriod, grain);
    List<LocalDate> periods = new ArrayList<>();
    LocalDate start = target;
    for (int i = 0; i < lookbackPeriods; i++) {
      start = previous(start, grain);
    }
    for (int i = 0; i <= lookbackPeriods; i++) {
      periods.add(start);
      start = next(start, grain);
    }
    return new RunContext(runId, grain, target, List.copyOf(periods), runDate, settleDays);
  }

  /** Returns the last period that has fully ended on {@code today}: yesterday, last ISO week or last month. */
  public static LocalDate lastCompletePeriod(LocalDate today, String grain) {
    return previous(periodStart(today, grain), grain);
  }

  public static LocalDate periodStart(LocalDate date, String grain) {
    return switch (grain) {
      case "day" -> date;
      case "week" -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case "month" -> date.withDayOfMonth(1);
      default -> throw new IllegalArgumentException("Unknown grain: " + grain);
    };
  }

  public static LocalDate next(LocalDate start, String grain) {
    return switch (grain) {
      case "day" -> start.plusDays(1);
      case "week" -> start.plusWeeks(1);
      case "month" -> start.plusMonths(1);
      default -> throw new IllegalArgumentException("Unknown grain: " + grain);
    };
  }

  public static LocalDate previous(LocalDate start, String grain) {
    return switch (grain) {
      case "day" -> start.minusDays(1);
      case "week" -> start.minusWeeks(1);
      case "month" -> start.minusMonths(1);
      default -> throw new IllegalArgumentException("Unknown grain: " + grain);
    };
  }

  /** Tells whether a period is final, which it is once settle_days have passed after its exclusive end date. */
  public boolean isFinal(LocalDate periodStart) {
    return !runDate.isBefore(next(periodStart, grain).plusDays(settleDays));
  }

  /** Returns the unit Spark's date_trunc takes for this grain. */
  public String truncUnit() {
    return grain.toUpperCase(Locale.ROOT);
  }

  public LocalDate first() {
    return periods.get(0);
  }

  public LocalDate endExclusive() {
    return next(periods.get(periods.size() - 1), grain);
  }
}
