package org.consultscore.cli;

import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;
import org.consultscore.job.NightlyJob;
import org.consultscore.job.RunResult;
import org.consultscore.job.RunSummary;
import org.consultscore.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: computes and publishes one target period and its lookback periods. */
@Command(name = "run", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {
        "Reads the inputs, computes metrics, scores and segments, and replaces the run's periods in the Delta tables.",
        "读取输入，计算指标、评分与分层，并写入结果表。"})
final class RunCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--period", paramLabel = "YYYY-MM-DD",
      description = "A date inside the target period; default: the last complete period in the"
          + " configured timezone / 目标周期内的任一日期，默认为最近一个完整周期")
  LocalDate period;

  @Option(names = "--grain", paramLabel = "GRAIN",
      description = "day, week (ISO, Monday start) or month; default: period.grain of the config / 周期粒度")
  Grain grain;

  @Option(names = "--no-summary", negatable = false,
      description = "Do not print the summary at the end / 不打印运行摘要")
  boolean noSummary;

  /** Period grains accepted on the command line. */
  enum Grain { day, week, month }

  @Override
  public Integer call() {
    AppConfig settings = config.load();
    SparkSession spark = SparkSessions.create(settings);
    NightlyJob job = new NightlyJob(spark, settings);
    RunContext run = job.plan(period, grain == null ? null : grain.name());
    long started = System.nanoTime();
    RunResult result = job.run(run);
    if (!noSummary) {
      RunSummary.print(result, System.out);
    }
    System.out.printf(java.util.Locale.ROOT, "Done in %.1f s, including the run record and this summary / 全部完成，用时 %.1f 秒%n",
        (System.nanoTime() - started) / 1e9, (System.nanoTime() - started) / 1e9);
    return 0;
  }
}
