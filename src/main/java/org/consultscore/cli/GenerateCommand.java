package org.consultscore.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.consultscore.generate.SampleDataGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: writes the synthetic sample data set. */
@Command(name = "generate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
    description = {
        "Writes a small synthetic data set: roster, sessions and surveys, with a few bad rows of each kind.",
        "生成小型合成样例数据（名册、会话、问卷，含少量各类问题数据）。"})
final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder to write into / 输出目录")
  Path output;

  @Option(names = "--seed", defaultValue = "20260901", description = "Random seed (default ${DEFAULT-VALUE}) / 随机种子")
  long seed;

  @Option(names = "--consultants", defaultValue = "40", description = "Number of consultants (default ${DEFAULT-VALUE}) / 顾问人数")
  int consultants;

  @Option(names = "--first-month", defaultValue = "2026-09-01", paramLabel = "YYYY-MM-DD",
      description = "First day of the first month (default ${DEFAULT-VALUE}) / 起始月份首日")
  LocalDate firstMonth;

  @Option(names = "--months", defaultValue = "2", description = "Number of months (default ${DEFAULT-VALUE}) / 月数")
  int months;

  @Override
  public Integer call() throws Exception {
    int sessions = new SampleDataGenerator(seed, firstMonth.withDayOfMonth(1), months, consultants).write(output);
    System.out.printf("Wrote %d session rows, roster, surveys and activity sources to %s / 已生成样例数据%n", sessions, output);
    return 0;
  }
}
