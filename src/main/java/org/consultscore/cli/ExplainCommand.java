package org.consultscore.cli;

import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;
import org.consultscore.job.SparkSessions;
import org.consultscore.publish.Publisher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code explain}: prints one consultant's published scorecard for one period. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {
        "Prints how a consultant's published score came about: each metric's raw value, shrunk value,"
            + " score and weight, the dimension scores and contributions, composite, rank, grade, trend and"
            + " coaching focus. Reads the published tables and writes nothing.",
        "打印某顾问某周期已发布评分的来龙去脉：各指标原始值、收缩值、得分与权重，维度得分与贡献，综合得分、排名、等级、趋势与辅导重点。"})
final class ExplainCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Option(names = "--consultant", required = true, paramLabel = "ID", description = "Consultant id / 顾问编号")
  String consultant;

  @Option(names = "--period", required = true, paramLabel = "YYYY-MM-DD",
      description = "A date inside the period / 周期内的任一日期")
  LocalDate period;

  @Option(names = "--grain", paramLabel = "GRAIN",
      description = "day, week or month; default: period.grain of the config / 周期粒度")
  RunCommand.Grain grain;

  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "zh-CN",
      description = "zh-CN (default) or en / 输出语言")
  String lang;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    String language = lang.trim().toLowerCase(Locale.ROOT);
    boolean chinese = language.equals("zh-cn") || language.equals("zh");
    if (!chinese && !language.equals("en")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--lang': '" + lang + "' (use zh-CN or en)");
    }
    AppConfig settings = config.load();
    String periodGrain = grain == null ? settings.grain() : grain.name();
    LocalDate start = RunContext.periodStart(period, periodGrain);
    SparkSession spark = SparkSessions.create(settings);
    Publisher publisher = new Publisher(spark, settings.outputPath(), settings.database());
    Scorecard card = Scorecard.load(publisher, settings.scoring(), consultant, periodGrain, start);
    card.print(System.out, chinese);
    System.out.flush();
    return 0;
  }
}
