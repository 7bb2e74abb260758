package org.consultscore.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Runs {@code spark-submit} without a Spark distribution: a SPARK_HOME with a RELEASE file and
 * jars/ symlinked from target/local-classpath.txt, and a JVM running
 * {@code org.apache.spark.deploy.SparkSubmit}, which is the class bin/spark-submit starts.
 * Everything binds to 127.0.0.1.
 */
final class SparkSubmitLauncher {
  /** Jars missing from a cluster's Spark distribution, which spark-submit ships with --jars. */
  private static final List<String> SHIPPED_PREFIXES = List.of("delta-spark_", "delta-storage-");

  /** Jars the application jar must carry itself (the shaded jar relocates them). */
  private static final List<String> APP_PREFIXES = List.of("picocli-", "config-");

  private final Path projectDir;
  private final Path sparkHome;
  private final List<Path> shippedJars = new ArrayList<>();
  private final List<Path> appDependencyJars = new ArrayList<>();

  SparkSubmitLauncher(Path projectDir, Path sparkHome) {
    this.projectDir = projectDir;
    this.sparkHome = sparkHome;
  }

  /** Builds SPARK_HOME: RELEASE marks it as a distribution, so the launcher uses jars/ as the classpath. */
  void buildSparkHome() throws IOException {
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
      if (startsWithAny(name, SHIPPED_PREFIXES)) {
        shippedJars.add(jar);
      } else if (startsWithAny(name, APP_PREFIXES)) {
        appDependencyJars.add(jar);
      } else {
        Files.createSymbolicLink(jars.resolve(name), jar);
      }
    }
  }

  /** Packs target/classes into a plain jar. Picocli and Typesafe Config then go with --jars. */
  Path buildThinAppJar(Path jar) throws IOException {
    Path classes = projectDir.resolve("target/classes");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  List<Path> shippedJars() {
    return shippedJars;
  }

  List<Path> appDependencyJars() {
    return appDependencyJars;
  }

  Path sparkHome() {
    return sparkHome;
  }

  /**
   * Runs spark-submit with the given arguments and waits for it. On timeout the driver and the
   * executors it started are killed and the result has timedOut set.
   */
  Result submit(List<String> javaOptions, List<String> submitArgs, Path logDir, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.add("-cp");
    command.add(sparkHome.resolve("jars") + "/*");
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.addAll(submitArgs);

    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(projectDir.toFile())
        .redirectOutput(logDir.resolve("driver-stdout.txt").toFile())
        .redirectError(logDir.resolve("driver-stderr.txt").toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("SPARK_LOCAL_HOSTNAME", "localhost");
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

  static List<String> split(String options) {
    return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }
}
