package org.consultscore.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.consultscore.generate.SampleDataGenerator;
import org.consultscore.generate.ScaleDataGenerator;
import org.consultscore.generate.ScaleOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code generate}: writes the small synthetic sample data set, or with {@code --scale} a
 * date-partitioned data set of any size for every source, written by Spark.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {
        "Writes the small synthetic sample data set: every source, with a few bad rows of each kind.",
        "With --scale, writes synthetic data for every source at the requested scale through Spark, in folders"
            + " partitioned by date, with a config that runs the job on it.",
        "生成小型合成样例数据（全部数据源，含少量各类问题数据）；加 --scale 时用 Spark 按指定规模为全部数据源"
            + "生成按日期分区的合成数据，并生成可直接运行的配置。"})
final class GenerateCommand implements Callable<Integer> {
  private static final List<String> SCALE_OPTIONS = List.of("--days", "--sessions-per-day", "--first-day",
      "--format", "--messages-per-session", "--survey-rate", "--audit-rate", "--outcome-rate",
      "--reviews-per-month", "--work-time-share", "--warehouse");
  private static final List<String> SAMPLE_OPTIONS = List.of("--first-month", "--months");
  private static final Map<String, String> SOURCE_NAMES_ZH = Map.of(
      "consultants", "顾问名册", "sessions", "会话", "messages", "消息", "surveys", "问卷",
      "qa_audits", "质检", "reviews", "360 评价", "outcomes", "业务成果", "work_time", "在线时长");

  @Spec
  CommandSpec spec;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder to write into / 输出目录")
  Path output;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "20260901",
      description = "Random seed (default ${DEFAULT-VALUE}) / 随机种子")
  long seed;

  @Option(names = "--consultants", paramLabel = "N", defaultValue = "40",
      description = "Number of consultants (default ${DEFAULT-VALUE}) / 顾问人数")
  int consultants;

  @Option(names = "--first-month", defaultValue = "2026-09-01", paramLabel = "YYYY-MM-DD",
      description = "Sample set: first day of the first month (default ${DEFAULT-VALUE}) / 样例数据起始月份首日")
  LocalDate firstMonth;

  @Option(names = "--months", paramLabel = "N", defaultValue = "2",
      description = "Sample set: number of months (default ${DEFAULT-VALUE}) / 样例数据月数")
  int months;

  @Option(names = "--scale", description = "Write the scalable data set through Spark instead of the sample set"
      + " / 用 Spark 生成指定规模的数据")
  boolean scale;

  @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "Scale: days with sessions (default ${DEFAULT-VALUE}) / 天数")
  int days;

  @Option(names = "--sessions-per-day", paramLabel = "N", defaultValue = "1000",
      description = "Scale: sessions per day over all consultants (default ${DEFAULT-VALUE}) / 每天会话数")
  long sessionsPerDay;

  @Option(names = "--first-day", defaultValue = "2026-09-01", paramLabel = "YYYY-MM-DD",
      description = "Scale: first day with sessions (default ${DEFAULT-VALUE}) / 起始日期")
  LocalDate firstDay;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
      description = "Scale: parquet, csv, json or delta (default ${DEFAULT-VALUE}) / 文件格式")
  String format;

  @Option(names = "--messages-per-session", paramLabel = "N", defaultValue = "8",
      description = "Scale: mean chat messages per session (default ${DEFAULT-VALUE}) / 每个会话平均消息数")
  int messagesPerSession;

  @Option(names = "--survey-rate", paramLabel = "SHARE", defaultValue = "0.30",
      description = "Scale: share of sessions with a survey (default ${DEFAULT-VALUE}) / 有问卷的会话占比")
  double surveyRate;

  @Option(names = "--audit-rate", paramLabel = "SHARE", defaultValue = "0.02",
      description = "Scale: share of sessions with a QA audit (default ${DEFAULT-VALUE}) / 被质检的会话占比")
  double auditRate;

  @Option(names = "--outcome-rate", paramLabel = "SHARE", defaultValue = "0.10",
      description = "Scale: share of sessions with a business outcome (default ${DEFAULT-VALUE}) / 有业务成果的会话占比")
  double outcomeRate;

  @Option(names = "--reviews-per-month", paramLabel = "N", defaultValue = "4",
      description = "Scale: 360-degree reviews per consultant and month (default ${DEFAULT-VALUE}) / 每人每月 360 评价数")
  int reviewsPerMonth;

  @Option(names = "--work-time-share", paramLabel = "SHARE", defaultValue = "1.0",
      description = "Scale: share of consultant-days with a work_time row (default ${DEFAULT-VALUE}) / 有在线时长记录的人天占比")
  double workTimeShare;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Scale: output.path of the written config (default DIR/warehouse) / 配置中的结果表目录")
  Path warehouse;

  @Override
  public Integer call() throws Exception {
    checkModeOptions();
    if (!scale) {
      int sessions = new SampleDataGenerator(seed, firstMonth.withDayOfMonth(1), months, consultants).write(output);
      System.out.printf("Wrote %d session rows, roster, surveys and activity sources to %s / 已生成样例数据%n", sessions, output);
      return 0;
    }
    ScaleOptions options = scaleOptions();
    long started = System.nanoTime();
    new ScaleDataGenerator(spark(), options).write(output, summary -> System.out.printf(Locale.ROOT,
        "  %-12s %,14d rows %8.1f s / %s %d 行，%.1f 秒%n", summary.source(), summary.rows(), summary.seconds(),
        SOURCE_NAMES_ZH.get(summary.source()), summary.rows(), summary.seconds()));
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "Wrote %d sources and %s in %.1f s / 已生成全部数据源和配置，用时 %.1f 秒%n",
        ScaleDataGenerator.SOURCES.size(), output.resolve("consultscore.conf"), seconds, seconds);
    return 0;
  }

  /** Rejects options of the other mode, so a forgotten --scale does not silently write the sample set. */
  private void checkModeOptions() {
    List<String> wrongMode = scale ? SAMPLE_OPTIONS : SCALE_OPTIONS;
    for (String name : wrongMode) {
      if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
        throw new ParameterException(spec.commandLine(), scale
            ? "Option " + name + " applies to the sample set only; with --scale use --first-day and --days"
                + " / 选项 " + name + " 仅用于样例数据"
            : "Option " + name + " requires --scale / 选项 " + name + " 需要同时指定 --scale");
      }
    }
  }

  private ScaleOptions scaleOptions() {
    require(consultants >= 1, "--consultants", consultants, "must be at least 1");
    require(days >= 1, "--days", days, "must be at least 1");
    require(sessionsPerDay >= 1, "--sessions-per-day", sessionsPerDay, "must be at least 1");
    require(ScaleOptions.FORMATS.contains(format), "--format", format, "must be one of " + ScaleOptions.FORMATS);
    require(messagesPerSession >= 1, "--messages-per-session", messagesPerSession, "must be at least 1");
    requireShare(surveyRate, "--survey-rate");
    requireShare(auditRate, "--audit-rate");
    requireShare(outcomeRate, "--outcome-rate");
    requireShare(workTimeShare, "--work-time-share");
    require(reviewsPerMonth >= 1, "--reviews-per-month", reviewsPerMonth, "must be at least 1");
    return new ScaleOptions(consultants, days, sessionsPerDay, firstDay, seed, format, messagesPerSession,
        surveyRate, auditRate, outcomeRate, reviewsPerMonth, workTimeShare, warehouse);
  }

  // A rate of 0 would leave a source empty, and the job cannot read an empty CSV or JSON
  // folder because Spark finds no columns in it.
  private void requireShare(double value, String option) {
    require(value > 0 && value <= 1, option, value, "must be a share above 0 and at most 1");
  }

  private void require(boolean valid, String option, Object value, String rule) {
    if (!valid) {
      throw new ParameterException(spec.commandLine(),
          "Invalid value for option '" + option + "': " + value + " " + rule + " / 选项 " + option + " 的取值无效");
    }
  }

  /**
   * Returns the running SparkSession, or starts one: the launcher's master when spark-submit
   * set one, else local mode on all cores, with Delta enabled.
   */
  private static SparkSession spark() {
    SparkConf launcher = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName("ConsultScore generate");
    if (!launcher.contains("spark.master")) {
      builder.master("local[*]")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    if (!launcher.contains("spark.sql.extensions")) {
      builder.config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    }
    return builder.getOrCreate();
  }
}
