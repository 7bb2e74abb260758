package org.consultscore.cli;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.Errors;
import org.consultscore.ingest.Ingest;
import org.consultscore.ingest.IngestResult;
import org.consultscore.ingest.QualityReport;
import org.consultscore.job.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code validate}: checks the config and every input and prints the quality report; writes nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {
        "Checks the configuration, reads every input through the data contract's rules and prints the quality report. Writes nothing.",
        "校验配置与全部输入，打印数据质量报告，不写任何表。"})
final class ValidateCommand implements Callable<Integer> {
  @Mixin
  ConfigOption config;

  @Override
  public Integer call() {
    AppConfig settings = config.load();
    System.out.println("Configuration OK / 配置校验通过: " + settings.file()
        + " (rules_version " + settings.scoring().rulesVersion() + ")");
    SparkSession spark = SparkSessions.create(settings);
    IngestResult result = Ingest.inspect(spark, settings);
    QualityReport quality = result.quality();
    System.out.println();
    System.out.println("Data quality report / 数据质量报告:");
    quality.format().forEach(line -> System.out.println("  " + line));
    int code = 0;
    for (String source : quality.sources()) {
      if (quality.rejectShare(source) > settings.maxRejectRate()) {
        System.out.println(Errors.rejectRateExceeded(source, quality.rejectShare(source), settings.maxRejectRate(),
            quality.topReasons(source, 3)).getMessage().replace("nothing was published", "a run would fail"));
        code = Errors.EXIT_BAD_INPUT;
      }
    }
    System.out.println(code == 0 ? "Inputs OK / 输入校验通过" : "Inputs FAILED / 输入校验未通过");
    return code;
  }
}
