package org.consultscore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A config for data-samples/ that writes into a test's own folder instead of target/warehouse. */
public final class SampleConfig {
  private SampleConfig() {}

  public static Path projectDir() {
    return Path.of(System.getProperty("consultscore.project.dir", ".")).toAbsolutePath().normalize();
  }

  /** Writes a config that includes conf/application.conf and overrides the output location. */
  public static Path write(Path dir, String extraHocon) {
    Path conf = projectDir().resolve("conf");
    String text = "include file(\"" + conf.resolve("application.conf") + "\")\n"
        + "scoring_file = \"" + conf.resolve("scoring.conf") + "\"\n"
        + "output.path = \"" + dir.resolve("warehouse") + "\"\n"
        + "output.database = consultscore_test\n"
        + "spark.master = \"local[2]\"\n"
        + extraHocon + "\n";
    try {
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve("application.conf"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
