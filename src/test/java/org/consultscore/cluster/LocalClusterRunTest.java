package org.consultscore.cluster;

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
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * The whole job on data-samples submitted to a Spark standalone cluster on this machine
 * ({@code local-cluster[2,1,1024]}: the driver JVM runs the master and two workers, and each
 * worker starts one executor JVM), compared with an in-process local run of the same config and
 * period. Logs stay under target/cluster-test/ for inspection.
 *
 * <p>System properties: {@code consultscore.cluster.appJar} submits that jar (e.g. the shaded
 * target/consultscore.jar) in place of a jar packed from target/classes;
 * {@code consultscore.cluster.timeoutSeconds} bounds the cluster run (default 900).
 */
class LocalClusterRunTest {
  private static final Logger LOG = LoggerFactory.getLogger(LocalClusterRunTest.class);
  private static final String PERIOD = "2026-10-15";
  private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");

  private static SparkSubmitLauncher launcher;
  private static SparkSubmitLauncher.Result cluster;
  private static String clusterWarehouse;
  private static String localWarehouse;

  @BeforeAll
  static void runOnClusterAndLocally() throws Exception {
    Path project = SampleConfig.projectDir();
    Path work = project.resolve("target/cluster-test");
    SparkSubmitLauncher.deleteTree(work);
    launcher = new SparkSubmitLauncher(project, work.resolve("spark-home"));
    launcher.buildSparkHome();

    Path clusterConfig = SampleConfig.write(work.resolve("cluster"), "output.database = consultscore_cluster");
    clusterWarehouse = ConfigLoader.load(clusterConfig).outputPath();
    cluster = submit(work, clusterConfig);
    LOG.info("Cluster run: exit code {} in {} s; command: {}", cluster.exitCode(),
        String.format("%.1f", cluster.seconds()), cluster.commandLine());

    localWarehouse = runLocally(work.resolve("local"));
  }

  private static SparkSubmitLauncher.Result submit(Path work, Path config) throws Exception {
    String opens = System.getProperty("consultscore.java17.opens", "");
    List<Path> jars = new ArrayList<>(launcher.shippedJars());
    String appJarProperty = System.getProperty("consultscore.cluster.appJar", "");
    Path appJar;
    if (appJarProperty.isBlank()) {
      appJar = launcher.buildThinAppJar(work.resolve("consultscore-classes.jar"));
      jars.addAll(launcher.appDependencyJars());
    } else {
      appJar = Path.of(appJarProperty).toAbsolutePath();
    }

    // SparkSubmit runs the driver in its own JVM, so the driver's options go on that command line.
    // spark.driver.extraJavaOptions is set too, because bin/spark-submit reads it.
    List<String> javaOptions = new ArrayList<>(SparkSubmitLauncher.split(opens));
    javaOptions.add("-Xmx1g");
    javaOptions.add("-Dlog4j2.configurationFile=" + SampleConfig.projectDir().resolve("conf/log4j2.properties"));

    List<String> args = new ArrayList<>(List.of(
        "--master", "local-cluster[2,1,1024]",
        "--deploy-mode", "client",
        "--class", "org.consultscore.cli.ConsultScoreCli",
        "--jars", jars.stream().map(Path::toString).collect(Collectors.joining(",")),
        "--executor-memory", "768m",
        "--conf", "spark.driver.extraJavaOptions=" + opens,
        "--conf", "spark.executor.extraJavaOptions=" + opens,
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.ui.showConsoleProgress=false",
        "--conf", "spark.sql.shuffle.partitions=2",
        "--conf", "spark.sql.warehouse.dir=" + work.resolve("spark-warehouse"),
        appJar.toString(),
        "run", "--config", config.toString(), "--period", PERIOD, "--grain", "month", "--no-summary"));
    Duration timeout = Duration.ofSeconds(Long.getLong("consultscore.cluster.timeoutSeconds", 900));
    return launcher.submit(javaOptions, args, work.resolve("logs"), timeout);
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

  @Test
  void publishedTablesEqualLocalRun() {
    for (String name : Tables.PERIOD_TABLES) {
      Dataset<Row> local = table(localWarehouse, name).drop("run_id");
      Dataset<Row> onCluster = table(clusterWarehouse, name).drop("run_id");
      assertEquals(local.count(), onCluster.count(), name + ": row count");
      SparkTestSession.assertSameRows(local, onCluster);
    }
    assertTrue(table(clusterWarehouse, Tables.CONSULTANT_SCORES).count() > 0, "consultant_scores has rows");
  }
}
