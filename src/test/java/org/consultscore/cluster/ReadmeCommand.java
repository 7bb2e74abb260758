package org.consultscore.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The spark-submit command printed in a README, read back as the argument list a shell would pass. */
final class ReadmeCommand {
  private ReadmeCommand() {}

  /**
   * Returns the arguments after {@code spark-submit} of the first fenced code block that starts
   * with it, joining lines that end with a backslash. The command has no quotes or variables,
   * so splitting on whitespace is what a shell does with it.
   */
  static List<String> sparkSubmitArguments(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    boolean inBlock = false;
    StringBuilder command = null;
    for (String line : lines) {
      if (line.startsWith("```")) {
        if (command != null) {
          break;
        }
        inBlock = !inBlock;
        continue;
      }
      if (!inBlock) {
        continue;
      }
      if (command == null && line.startsWith("spark-submit ")) {
        command = new StringBuilder();
      }
      if (command != null) {
        command.append(line.endsWith("\\") ? line.substring(0, line.length() - 1) : line).append(' ');
        if (!line.endsWith("\\")) {
          break;
        }
      }
    }
    if (command == null) {
      throw new IllegalStateException(readme + " has no code block starting with spark-submit");
    }
    List<String> words = new ArrayList<>(Arrays.asList(command.toString().trim().split("\\s+")));
    if (words.stream().anyMatch(w -> w.contains("'") || w.contains("\"") || w.contains("$"))) {
      throw new IllegalStateException("The spark-submit command in " + readme
          + " uses quotes or variables, which this test does not expand: " + words);
    }
    return words.subList(1, words.size());
  }
}
