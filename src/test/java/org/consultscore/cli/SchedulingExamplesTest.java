package org.consultscore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.consultscore.SampleConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Airflow DAG and the cron line under examples/: the DAG is valid Python, and the job's
 * arguments in both parse with the real command line and pass a --period.
 */
class SchedulingExamplesTest {
  private static final Path DAG = SampleConfig.projectDir().resolve("examples/airflow/consultscore_dag.py");
  private static final Path CRON = SampleConfig.projectDir().resolve("examples/cron/consultscore.cron");
  private static final Pattern APPLICATION_ARGS = Pattern.compile("APPLICATION_ARGS\\s*=\\s*\\[(.*?)]", Pattern.DOTALL);
  private static final Pattern PYTHON_STRING = Pattern.compile("\"([^\"]*)\"");
  private static final String SAMPLE_DATE = "2026-10-01";

  @TempDir
  Path pycache;

  @Test
  void dagCompilesAsPython() throws Exception {
    Assumptions.assumeTrue(python3Available(), "python3 is not installed");
    ProcessBuilder compile = new ProcessBuilder("python3", "-m", "py_compile", DAG.toString())
        .redirectErrorStream(true);
    // Keeps the .pyc out of examples/.
    compile.environment().put("PYTHONPYCACHEPREFIX", pycache.toString());
    Process process = compile.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "py_compile timed out");
    assertEquals(0, process.exitValue(), "py_compile failed: " + output);
  }

  @Test
  void dagArgumentsParseWithCli() throws IOException {
    String dag = Files.readString(DAG);
    Matcher list = APPLICATION_ARGS.matcher(dag);
    assertTrue(list.find(), "the DAG defines APPLICATION_ARGS = [...]");
    List<String> args = new ArrayList<>();
    Matcher item = PYTHON_STRING.matcher(list.group(1));
    while (item.find()) {
      args.add(item.group(1));
    }
    String leftover = PYTHON_STRING.matcher(list.group(1)).replaceAll("").replaceAll("[\\s,]", "");
    assertEquals("", leftover, "APPLICATION_ARGS holds only string literals");

    int period = args.indexOf("--period");
    assertTrue(period >= 0, "the DAG passes --period: " + args);
    assertEquals("{{ ds }}", args.get(period + 1), "the DAG passes the logical date");
    args.set(period + 1, SAMPLE_DATE);
    assertParses(args);
    assertTrue(dag.contains("java_class=\"" + ConsultScoreCli.class.getName() + "\""), "the DAG names the main class");
  }

  @Test
  void cronArgumentsParseWithCli() throws IOException {
    String line = cronLine();
    List<String> words = shellWords(line);
    assertTrue(words.size() > 5, "schedule and command: " + line);
    assertTrue(String.join(" ", words.subList(0, 5)).matches("[0-9*/,-]+( [0-9*/,-]+){4}"),
        "five schedule fields: " + words.subList(0, 5));
    assertTrue(line.contains("--class " + ConsultScoreCli.class.getName()), "the cron line names the main class");

    int jar = words.indexOf("consultscore.jar");
    assertTrue(jar > 0, "the cron line submits consultscore.jar: " + line);
    List<String> args = new ArrayList<>();
    for (String word : words.subList(jar + 1, words.size())) {
      if (word.startsWith(">") || word.startsWith("2>")) {
        break;
      }
      args.add(word);
    }
    int period = args.indexOf("--period");
    assertTrue(period >= 0, "the cron line passes --period: " + args);
    assertTrue(args.get(period + 1).startsWith("$(date "), "the period comes from date: " + args.get(period + 1));
    args.set(period + 1, SAMPLE_DATE);
    assertParses(args);
  }

  private static void assertParses(List<String> args) {
    CommandLine.ParseResult result = new CommandLine(new ConsultScoreCli()).parseArgs(args.toArray(new String[0]));
    assertTrue(result.hasSubcommand(), "a subcommand is given: " + args);
    CommandLine.ParseResult run = result.subcommand();
    assertEquals("run", run.commandSpec().name());
    assertTrue(run.hasMatchedOption("--period"), "--period is parsed");
    assertEquals(SAMPLE_DATE, run.matchedOptionValue("--period", null).toString());
    assertTrue(run.hasMatchedOption("--config"), "--config is parsed");
  }

  /** Returns the one crontab entry: the line that is neither a comment nor a variable. */
  private static String cronLine() throws IOException {
    List<String> entries = Files.readAllLines(CRON).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.matches("[A-Z_]+=.*"))
        .toList();
    assertEquals(1, entries.size(), "one crontab entry: " + entries);
    return entries.get(0);
  }

  /** Splits a shell line into words, honouring double quotes and $(...) groups. */
  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        continue;
      }
      if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      }
      if (Character.isWhitespace(c) && !quoted && depth == 0) {
        if (word.length() > 0) {
          words.add(word.toString());
          word.setLength(0);
        }
        continue;
      }
      word.append(c);
    }
    if (word.length() > 0) {
      words.add(word.toString());
    }
    return words;
  }

  private static boolean python3Available() {
    try {
      Process process = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
