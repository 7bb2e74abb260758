package org.consultscore.cli;

import java.nio.file.Path;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import picocli.CommandLine.Option;

/** The --config option that every command shares. */
final class ConfigOption {
  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Application config (HOCON), e.g. conf/application.conf / 配置文件路径")
  Path file;

  AppConfig load() {
    return ConfigLoader.load(file);
  }
}
