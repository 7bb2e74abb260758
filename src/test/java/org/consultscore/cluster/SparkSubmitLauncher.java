package org.consultscore.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code spark-submit} without a Spark distribution. The SPARK_HOME it builds has a RELEASE
 * file, jars/ symlinked from target/local-classpath.txt, conf/spark-defaults.conf, and a
 * bin/spark-submit that lets Spark's launcher library (the
 * spark-launcher jar, which the real script also calls) build the driver command. Everything
 * binds to 127.0.0.1.
 */
final class SparkSubmitLauncher {
  /** Jars a cluster's Spark distribution lacks: Delta comes with --packages, the rest is in the shaded jar. */
  private static final List<String> LEFT_OUT_PREFIXES = List.of("delta-spark_", "delta-storage-", "picocli-", "config-");

  private final Path projectDir;
  private final Path sparkHome;

  SparkSubmitLauncher(Path projectDir, Path sparkHome) {
    this.projectDir = projectDir;
    this.sparkHome = sparkHome;
  }

  /**
   * Builds SPARK_HOME. The RELEASE file makes the launcher use jars/ as the
   * classpath, and {@code defaults} become conf/spark-defaults.conf.
   */
  void buildSparkHome(Map<String, String> defaults) throws IOException {
    Path classpathFile = projectDir.resolve("target/local-classpath.txt");
    if (!Files.isRegularFile(classpathFile)) {
      throw new IllegalStateException(classpathFile + " is missing: run mvn process-test-resources first");
    }
    deleteTree(sparkHome);
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark (jars from target/local-classpath.txt)\n");
    for (String entry : Files.readString(classpathFile).trim().split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      String name = jar.getFileName().toString();
      if (!startsWithAny(name, LEFT_OUT_PREFIXES)) {
        Files.createSymbolicLink(jars.resolve(name), jar);
      }
    }

    Path conf = Files.createDirectories(sparkHome.resolve("conf"));
    StringBuilder properties = new StringBuilder();
    defaults.forEach((key, value) -> properties.append(key).append(' ').append(value).append('\n'));
    Files.writeString(conf.resolve("spark-defaults.conf"), properties);

    Path bin = Files.createDirectories(sparkHome.resolve("bin"));
    Path script = bin.resolve("spark-submit");
    try (InputStream in = SparkSubmitLauncher.class.getResourceAsStream("spark-submit")) {
      Files.copy(in, script);
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  Path sparkHome() {
    return sparkHome;
  }

  /**
   * Runs bin/spark-submit with the given arguments in {@code workDir} and waits for it. On
   * timeout the driver and the executors it started are killed and the result has timedOut set.
   */
  Result submit(List<String> submitArgs, Path workDir, Path logDir, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(sparkHome.resolve("bin/spark-submit").toString());
    command.addAll(submitArgs);

    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectOutput(logDir.resolve("driver-stdout.txt").toFile())
        .redirectError(logDir.resolve("driver-stderr.txt").toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().remove("SPARK_CONF_DIR");

    long start = System.nanoTime();
    Process process = builder.start();
    try {
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(command, finished ? process.exitValue() : -1, !finished, seconds, process.pid(), logDir);
    } finally {
      stop(process);
    }
  }

  /** Kills the driver and every process below it (the executors), waiting for them to exit. */
  private static void stop(Process process) throws InterruptedException {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : tree) {
      handle.onExit().completeOnTimeout(handle, 30, TimeUnit.SECONDS).join();
    }
  }

  private static boolean startsWithAny(String name, List<String> prefixes) {
    return prefixes.stream().anyMatch(name::startsWith);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Outcome of one spark-submit call, with the driver's logs for failure messages. */
  record Result(List<String> command, int exitCode, boolean timedOut, double seconds, long driverPid, Path logDir) {
    String stderrTail(int lines) {
      try {
        List<String> all = Files.readAllLines(logDir.resolve("driver-stderr.txt"));
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException e) {
        return "(driver stderr unreadable: " + e.getMessage() + ")";
      }
    }

    String commandLine() {
      return String.join(" ", command.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList());
    }
  }

}
