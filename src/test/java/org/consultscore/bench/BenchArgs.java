package org.consultscore.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses the {@code --name value} arguments of the bench programs. */
final class BenchArgs {
  private BenchArgs() {}

  /** Returns the options by name; an unknown option or a missing value raises an error naming it. */
  static Map<String, String> parse(String[] args, String... known) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!List.of(known).contains(name)) {
        throw new IllegalArgumentException("Unknown option '" + name + "'; expected one of " + List.of(known));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option '" + name + "' is missing its value");
      }
      options.put(name, args[i + 1]);
    }
    return options;
  }

  static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("Missing required option " + name);
    }
    return value;
  }
}
