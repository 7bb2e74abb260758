package org.consultscore.cli;

import org.apache.spark.sql.SparkSession;
import org.consultscore.config.ConsultScoreException;
import org.consultscore.config.Errors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the jar. Exit codes: 0 success, 2 bad configuration or input (fix the data
 * or the settings, then rerun), 1 any other failure (may pass on retry).
 */
@Command(
    name = "consultscore",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    versionProvider = VersionProvider.class,
    description = {
        "Scores and segments the consultants of an online consulting platform from session logs, surveys and the roster, and publishes Delta tables.",
        "根据会话日志、满意度问卷和人员名册，为咨询顾问评分、分层，并发布 Delta 结果表。"},
    subcommands = {RunCommand.class, ValidateCommand.class, ExplainCommand.class, GenerateCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes / 退出码:%n",
    exitCodeList = {
        "0:success / 成功",
        "1:failure that may pass on retry / 运行失败，可重试",
        "2:invalid configuration or input / 配置或输入数据有误"})
public final class ConsultScoreCli implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = execute(args);
    stopSpark();
    System.exit(code);
  }

  /**
   * Stops the session before the JVM exits, so a cluster manager records the application as
   * finished and releases its executors, instead of seeing the driver vanish mid-shutdown.
   */
  private static void stopSpark() {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    if (session.isDefined()) {
      session.get().stop();
    }
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new ConsultScoreCli())
        .setExecutionExceptionHandler(ConsultScoreCli::handleError)
        .setExitCodeExceptionMapper(ConsultScoreCli::exitCode);
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: use run, validate, explain or generate");
  }

  private static int handleError(Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    if (error instanceof ConsultScoreException known) {
      commandLine.getErr().println("ERROR / 错误: " + known.getMessage());
      return known.exitCode();
    }
    commandLine.getErr().println("ERROR / 错误: " + error.getClass().getSimpleName() + ": " + error.getMessage());
    error.printStackTrace(commandLine.getErr());
    return Errors.EXIT_FAILURE;
  }

  private static int exitCode(Throwable error) {
    if (error instanceof ConsultScoreException known) {
      return known.exitCode();
    }
    if (error instanceof CommandLine.ParameterException) {
      return Errors.EXIT_BAD_INPUT;
    }
    return Errors.EXIT_FAILURE;
  }
}
