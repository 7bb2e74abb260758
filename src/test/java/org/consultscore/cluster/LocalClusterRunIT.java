package org.consultscore.cluster;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SampleConfig;
import org.consultscore.SparkTestSession;
import org.consultscore.config.AppConfig;
import org.consultscore.config.ConfigLoader;
import org.consultscore.job.NightlyJob;
import org.consultscore.job.SparkSessions;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spark-submit command of README.md, run as printed against a Spark standalone cluster on
 * this machine, compared with an in-process local run of the same config and period.
 *
 * <p>The master {@code local-cluster[2,1,1024]} comes from the test SPARK_HOME's
 * spark-defaults.conf, as a cluster's own defaults would supply it: the driver JVM runs the master
 * and two workers, and each worker starts one executor JVM. Delta arrives through the command's
 * {@code --packages}, which Ivy resolves from the local Maven repository. The command runs in a
 * folder holding the config as {@code application.conf} and the shaded jar as
 * {@code target/consultscore.jar}, so this is a Failsafe test: it runs after {@code package}.
 * Logs stay under target/cluster-test/ for inspection.
 *
 * <p>System properties: {@code consultscore.cluster.appJar} is the jar to submit (default
 * target/consultscore.jar); {@code consultscore.cluster.timeoutSeconds} bounds the cluster run
 * (default 1200).
 */
class LocalClusterRunIT {
  private static final Logger LOG = LoggerFactory.getLogger(LocalClusterRunIT.class);
  private static final String PERIOD = "2026-10-01";
  private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");

  private static SparkSubmitLauncher launcher;
  private static List<String> readmeArguments;
  private static SparkSubmitLauncher.Result cluster;
  private static String clusterWarehouse;
  private static String localWarehouse;

  @BeforeAll
  static void runOnClusterAndLocally() throws Exception {
    Path project = SampleConfig.projectDir();
    Path work = project.resolve("target/cluster-test");
    SparkSubmitLauncher.deleteTree(work);
    launcher = new SparkSubmitLauncher(project, work.resolve("spark-home"));
    launcher.buildSparkHome(clusterDefaults(work));

    Path runDir = work.resolve("readme-run");
    clusterWarehouse = ConfigLoader.load(SampleConfig.write(runDir, "output.database = consultscore_cluster")).outputPath();
    Files.createDirectories(runDir.resolve("target"));
    Files.createSymbolicLink(runDir.resolve("target/consultscore.jar"), appJar(project));
    Files.createSymbolicLink(runDir.resolve("data-samples"), project.resolve("data-samples"));

    readmeArguments = ReadmeCommand.sparkSubmitArguments(project.resolve("README.md"));
    Duration timeout = Duration.ofSeconds(Long.getLong("consultscore.cluster.timeoutSeconds", 1200));
    cluster = launcher.submit(readmeArguments, runDir, work.resolve("logs"), timeout);
    LOG.info("Cluster run: exit code {} in {} s; command: {}", cluster.exitCode(),
        String.format("%.1f", cluster.seconds()), cluster.commandLine());

    localWarehouse = runLocally(work.resolve("local"));
  }

  /** Returns what a cluster's conf/spark-defaults.conf would set, with everything bound to loopback. */
  private static Map<String, String> clusterDefaults(Path work) {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("spark.master", "local-cluster[2,1,1024]");
    defaults.put("spark.executor.memory", "768m");
    defaults.put("spark.driver.host", "127.0.0.1");
    defaults.put("spark.driver.bindAddress", "127.0.0.1");
    defaults.put("spark.ui.enabled", "false");
    defaults.put("spark.ui.showConsoleProgress", "false");
    defaults.put("spark.sql.shuffle.partitions", "2");
    defaults.put("spark.sql.warehouse.dir", work.resolve("spark-warehouse").toString());
    defaults.put("spark.jars.ivy", work.resolve("ivy").toString());
    // The driver logs like run-local.sh; executors keep Spark's default INFO log, which records
    // their process ids and tasks.
    defaults.put("spark.driver.extraJavaOptions",
        "-Dlog4j2.configurationFile=" + SampleConfig.projectDir().resolve("conf/log4j2.properties"));
    return defaults;
  }

  private static Path appJar(Path project) {
    String property = System.getProperty("consultscore.cluster.appJar", "");
    Path jar = property.isBlank() ? project.resolve("target/consultscore.jar") : Path.of(property).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run the integration tests with mvn verify, "
          + "which builds the shaded jar first");
    }
    return jar;
  }

  /** Runs the same config and period in the shared local session, which also uses 2 shuffle partitions. */
  private static String runLocally(Path dir) {
    SparkSession spark = SparkTestSession.spark();
    AppConfig config = ConfigLoader.load(SampleConfig.write(dir, "output.database = consultscore_local"));
    SparkSessions.configure(spark, config);
    long start = System.nanoTime();
    NightlyJob job = new NightlyJob(spark, config);
    job.run(job.plan(LocalDate.parse(PERIOD), "month"));
    LOG.info("Local run: {} s", String.format("%.1f", (System.nanoTime() - start) / 1e9));
    return config.outputPath();
  }

  private static Dataset<Row> table(String warehouse, String name) {
    return SparkTestSession.spark().read().format("delta").load(warehouse + "/" + name);
  }

  @Test
  void readmeCommandUsesPackages() {
    int flag = readmeArguments.indexOf("--packages");
    assertTrue(flag >= 0, "the README command passes --packages: " + readmeArguments);
    assertEquals("io.delta:delta-spark_2.12:3.3.2", readmeArguments.get(flag + 1));
    assertTrue(cluster.stderrTail(Integer.MAX_VALUE).contains("io.delta#delta-spark_2.12;3.3.2"),
        "Ivy resolved Delta for --packages");
  }

  @Test
  void chineseReadmePrintsSameCommand() throws IOException {
    Path project = SampleConfig.projectDir();
    assertEquals(readmeArguments, ReadmeCommand.sparkSubmitArguments(project.resolve("README.zh-CN.md")));
  }

  @Test
  void clusterRunSucceeds() {
    assertFalse(cluster.timedOut(), "cluster run timed out; driver log:\n" + cluster.stderrTail(60));
    assertEquals(0, cluster.exitCode(), "cluster run failed; driver log:\n" + cluster.stderrTail(60));
    List<Row> runs = table(clusterWarehouse, Tables.RUN_LOG).collectAsList();
    assertEquals(1, runs.size(), "one run_log row");
    assertEquals("succeeded", runs.get(0).getAs("status"));
  }

  @Test
  void twoExecutorJvmsRanTasks() throws IOException {
    Set<String> pids = new HashSet<>();
    for (Path stderr : executorLogs()) {
      String log = Files.readString(stderr);
      Matcher pid = EXECUTOR_PID.matcher(log);
      if (pid.find() && log.contains("Running task")) {
        pids.add(pid.group(1));
      }
    }
    assertFalse(pids.contains(String.valueOf(cluster.driverPid())), "executors run outside the driver JVM");
    assertTrue(pids.size() >= 2, "at least two executor processes ran tasks, found " + pids);
  }

  private static List<Path> executorLogs() throws IOException {
    Path work = launcher.sparkHome().resolve("work");
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(work, 3)) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
    }
  }

  /**
   * Drops run_id and keeps only the file name of source_file: the cluster run reads
   * data-samples through a link in its own folder, so the folder part of the path differs.
   */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    Dataset<Row> result = rows.drop("run_id");
    if (List.of(result.columns()).contains("source_file")) {
      result = result.withColumn("source_file", regexp_extract(col("source_file"), "[^/]+$", 0));
    }
    return result;
  }

  @Test
  void publishedTablesEqualLocalRun() {
    for (String name : Tables.PERIOD_TABLES) {
      Dataset<Row> local = comparable(table(localWarehouse, name));
      Dataset<Row> onCluster = comparable(table(clusterWarehouse, name));
      assertEquals(local.count(), onCluster.count(), name + ": row count");
      try {
        SparkTestSession.assertSameRows(local, onCluster);
      } catch (AssertionError e) {
        throw new AssertionError(name + " differs between the local and the cluster run. Local rows not on the cluster:\n"
            + local.except(onCluster).showString(20, 0, false) + "Cluster rows not in the local run:\n"
            + onCluster.except(local).showString(20, 0, false), e);
      }
    }
    assertTrue(table(clusterWarehouse, Tables.CONSULTANT_SCORES).count() > 0, "consultant_scores has rows");
  }
}
