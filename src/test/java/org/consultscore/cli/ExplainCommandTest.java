package org.consultscore.cli;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.job.NightlyJob;
import org.consultscore.job.SparkSessions;
import org.consultscore.publish.Tables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain} on the tables of one run over a tiny data set: three consultants in September 2026. */
class ExplainCommandTest {
  @TempDir
  static Path dir;

  private static Path config;
  private static Row scoresA;

  @BeforeAll
  static void runJob() {
    SparkSession spark = SparkTestSession.spark();
    TestProject project = TestProject.in(dir).sessions(
        "a1,A,U1,2026-09-01 10:00:00,,2026-09-01 10:00:20,2026-09-01 10:10:00,web,edu,customer,true,false,3,4",
        "a2,A,U2,2026-09-02 10:00:00,,2026-09-02 10:00:40,2026-09-02 10:08:00,web,edu,customer,true,false,2,2",
        "a3,A,U3,2026-09-03 10:00:00,,2026-09-03 10:00:30,2026-09-03 10:09:00,web,edu,customer,false,true,2,3",
        "b1,B,U4,2026-09-01 11:00:00,,2026-09-01 11:01:30,2026-09-01 11:10:00,web,edu,customer,true,false,3,4",
        "b2,B,U5,2026-09-02 11:00:00,,2026-09-02 11:02:00,2026-09-02 11:10:00,web,edu,customer,false,true,3,4",
        "c1,C,U6,2026-09-01 12:00:00,,2026-09-01 12:00:10,2026-09-01 12:10:00,web,edu,customer,true,false,3,4",
        "c2,C,U7,2026-09-05 12:00:00,,2026-09-05 12:00:50,2026-09-05 12:10:00,web,edu,customer,true,true,3,4");
    // A database of its own: the shared test session's catalog may hold consultscore.* entries
    // registered by other test classes at temporary folders that no longer exist.
    project.settings("output.database = consultscore_explain_test");
    config = project.writeConfig();
    AppConfig settings = project.load();
    SparkSessions.configure(spark, settings);
    NightlyJob job = new NightlyJob(spark, settings);
    job.run(job.plan(LocalDate.of(2026, 9, 15), "month"));
    scoresA = spark.read().format("delta").load(settings.outputPath() + "/" + Tables.CONSULTANT_SCORES)
        .filter(col("consultant_id").equalTo("A")).first();
  }

  private record Output(int code, String out, String err) {}

  private static Output explain(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      String[] full = new String[args.length + 3];
      full[0] = "explain";
      full[1] = "--config";
      full[2] = config.toString();
      System.arraycopy(args, 0, full, 3, args.length);
      code = ConsultScoreCli.execute(full);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The first line that starts with {@code prefix} (after indentation). */
  private static String line(String out, String prefix) {
    return Arrays.stream(out.split("\n")).filter(l -> l.strip().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line starting with '" + prefix + "' in:\n" + out));
  }

  /** The number after {@code label} in a line. */
  private static double numberAfter(String line, String label) {
    String rest = line.substring(line.indexOf(label) + label.length()).strip();
    return Double.parseDouble(rest.split("\\s+")[0]);
  }

  @Test
  void printsTheScorecardInEnglish() {
    Output result = explain("--consultant", "A", "--period", "2026-09-20", "--lang", "en");
    assertEquals(0, result.code(), result.err());
    String out = result.out();
    double composite = scoresA.<Double>getAs("composite");
    assertEquals(composite, numberAfter(line(out, "Composite:"), "Composite:"), 0.005, out);
    assertTrue(line(out, "Composite:").contains("grade: " + scoresA.getAs("grade")), out);
    // Metric line: name, raw, shrunk, score, weight, meaning.
    String[] sla = line(out, "sla_rate").strip().split("\\s+");
    assertEquals(scoresA.<Double>getAs("sla_rate_score"), Double.parseDouble(sla[3]), 0.005, out);
    assertEquals(scoresA.<Double>getAs("sla_rate_shrunk"), Double.parseDouble(sla[2]), 0.00005, out);
    assertEquals("50.0%", sla[4], "sla_rate's share of responsiveness");
    String resolution = line(out, "Resolution [resolution]");
    assertEquals(scoresA.<Double>getAs("resolution_score"), numberAfter(resolution, "score"), 0.005, out);
    assertTrue(resolution.contains("weight 35.0% (expert)"), resolution);
    assertTrue(out.contains("Coaching focus: " + scoresA.getAs("coaching_focus_en")), out);
  }

  @Test
  void printsChineseByDefault() {
    Output result = explain("--consultant", "A", "--period", "2026-09-01");
    assertEquals(0, result.code(), result.err());
    String composite = String.format(Locale.ROOT, "%.2f", scoresA.<Double>getAs("composite"));
    assertTrue(line(result.out(), "综合得分").contains(composite), result.out());
    assertTrue(result.out().contains("问题解决 [resolution]"), result.out());
    assertTrue(result.out().contains("辅导重点: " + scoresA.getAs("coaching_focus_zh")), result.out());
  }

  @Test
  void unknownConsultantOrPeriodExitsTwo() {
    Output unknown = explain("--consultant", "Z", "--period", "2026-09-01");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("Consultant 'Z' has no scores"), unknown.err());
    Output noPeriod = explain("--consultant", "A", "--period", "2025-01-01", "--lang", "en");
    assertEquals(2, noPeriod.code());
    assertTrue(noPeriod.err().contains("2026-09-01"), "lists the published periods: " + noPeriod.err());
    assertEquals(2, explain("--consultant", "A", "--period", "2026-09-01", "--lang", "fr").code());
    assertEquals(2, explain("--consultant", "A").code(), "--period is required");
  }

  @Test
  void nothingPublishedExitsTwo() {
    Path empty = TestProject.in(dir.resolve("empty")).sessions().settings("output.database = consultscore_explain_test")
        .writeConfig();
    int code = ConsultScoreCli.execute("explain", "--config", empty.toString(), "--consultant", "A",
        "--period", "2026-09-01");
    assertEquals(2, code);
  }
}
