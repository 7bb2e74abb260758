package org.consultscore.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rejects keys a config file sets that the defaults do not know, so a typo such as
 * {@code max_reject_rat} fails the run instead of being ignored. Maps whose keys are names
 * chosen by the user (source columns, Spark settings) are listed as free paths.
 */
final class KeyChecker {
  private final Config reference;
  private final Set<String> freePaths;

  /**
   * @param reference the defaults; every key the user may set appears in it
   * @param freePaths paths whose children may have any name, written with quoted elements
   */
  KeyChecker(Config reference, Set<String> freePaths) {
    this.reference = reference;
    this.freePaths = freePaths;
  }

  void check(ConfigObject user, String origin) {
    walk(user, new ArrayList<>(), origin);
  }

  private void walk(ConfigObject node, List<String> parent, String origin) {
    String parentPath = join(parent);
    if (freePaths.contains(parentPath)) {
      return;
    }
    for (Map.Entry<String, ConfigValue> entry : node.entrySet()) {
      List<String> path = new ArrayList<>(parent);
      path.add(entry.getKey());
      String key = join(path);
      if (!reference.hasPathOrNull(key)) {
        throw Errors.unknownConfigKey(describe(entry.getValue(), origin), key, knownChildren(parentPath));
      }
      // instanceof instead of valueType(): a value such as path = ${?ENV} is unresolved here.
      if (entry.getValue() instanceof ConfigObject child) {
        walk(child, path, origin);
      }
    }
  }

  private List<String> knownChildren(String parentPath) {
    ConfigObject parent = parentPath.isEmpty() ? reference.root() : reference.getObject(parentPath);
    return new ArrayList<>(new TreeSet<>(parent.keySet()));
  }

  static String describe(ConfigValue value, String fallback) {
    if (value == null || value.origin() == null || value.origin().filename() == null) {
      return fallback;
    }
    int line = value.origin().lineNumber();
    return value.origin().filename() + (line > 0 ? ":" + line : "");
  }

  static String join(List<String> path) {
    return path.isEmpty() ? "" : com.typesafe.config.ConfigUtil.joinPath(path);
  }
}
