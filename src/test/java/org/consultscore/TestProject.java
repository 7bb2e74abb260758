package org.consultscore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;

/**
 * A throw-away project folder for a test: input files, application.conf and scoring.conf.
 * Defaults give a working sessions-only set-up; a test sets only what it exercises.
 */
public final class TestProject {
  /** Header of a sessions CSV with every contract column. */
  public static final String SESSIONS_HEADER = "session_id,consultant_id,customer_id,started_at,assigned_at,"
      + "first_response_at,ended_at,channel,business_line,initiated_by,resolved,transferred,"
      + "customer_messages,consultant_messages";

  private final Path dir;
  private final List<String> sourceBlocks = new ArrayList<>();
  private String extraSettings = "";
  private String scoring = defaultScoring(1);

  private TestProject(Path dir) {
    this.dir = dir;
  }

  public static TestProject in(Path dir) {
    return new TestProject(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Writes a text file into the project and returns its absolute path. */
  public Path file(String name, Charset charset, String... lines) {
    Path file = dir.resolve(name);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", lines) + "\n", charset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public Path file(String name, String... lines) {
    return file(name, StandardCharsets.UTF_8, lines);
  }

  /** Writes sessions.csv with the full header and adds the sessions source. */
  public TestProject sessions(String... rows) {
    List<String> lines = new ArrayList<>(List.of(SESSIONS_HEADER));
    lines.addAll(List.of(rows));
    Path file = file("sessions.csv", lines.toArray(new String[0]));
    return source("sessions", "format = csv\npath = \"" + file + "\"\ntimestamp_format = \"yyyy-MM-dd HH:mm:ss\"");
  }

  /** Adds a source block, e.g. source("surveys", "format = json\npath = ..."). */
  public TestProject source(String name, String body) {
    sourceBlocks.removeIf(block -> block.startsWith(name + " {"));
    sourceBlocks.add(name + " {\n" + body + "\n}");
    return this;
  }

  /** Extra HOCON appended to application.conf (it wins over earlier keys). */
  public TestProject settings(String hocon) {
    extraSettings += "\n" + hocon;
    return this;
  }

  public TestProject scoring(String hocon) {
    scoring = hocon;
    return this;
  }

  /** Writes the config files and returns application.conf's path. */
  public Path writeConfig() {
    String app = "timezone = \"Asia/Shanghai\"\n"
        + "sources {\n" + String.join("\n", sourceBlocks) + "\n}\n"
        + "output { path = \"" + dir.resolve("warehouse") + "\", pseudonym_key = \"test-key\" }\n"
        + "spark.master = \"local[2]\"\n"
        + extraSettings + "\n";
    file("scoring.conf", scoring);
    return file("application.conf", app);
  }

  public AppConfig load() {
    return ConfigLoader.load(writeConfig());
  }

  /**
   * Three-dimension scoring rules (responsiveness, resolution, satisfaction) for test data that
   * has only sessions and surveys, with a given min_sessions and no shrinkage.
   */
  public static String defaultScoring(int minSessions) {
    return "rules_version = \"test-1\"\n"
        + "eligibility.min_sessions = " + minSessions + "\n"
        + "peer_group = []\n"
        + "dimensions { responsiveness.weight = 0.3, resolution.weight = 0.35, satisfaction.weight = 0.35 }\n"
        + "metrics {\n"
        + "  frt_median_s { dimension = responsiveness, weight = 0.5, direction = lower }\n"
        + "  sla_rate { dimension = responsiveness, weight = 0.5, prior_strength = 0 }\n"
        + "  resolution_rate { dimension = resolution, weight = 0.7, prior_strength = 0 }\n"
        + "  transfer_rate { dimension = resolution, weight = 0.3, direction = lower, prior_strength = 0 }\n"
        + "  csat_mean { dimension = satisfaction, weight = 0.4, prior_strength = 0 }\n"
        + "  csat_satisfied_rate { dimension = satisfaction, weight = 0.3, prior_strength = 0 }\n"
        + "  nps { dimension = satisfaction, weight = 0.3, prior_strength = 0 }\n"
        + "}\n"
        + "segments { k_min = 2, k_max = 3 }\n";
  }
}
