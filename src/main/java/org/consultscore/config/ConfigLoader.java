package org.consultscore.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads application.conf and the scoring rules it points to, merges them over the defaults
 * shipped in the jar, rejects unknown keys and wrong types, and builds {@link AppConfig}.
 * {@code ${?ENV_VAR}} substitutions resolve from the environment.
 */
public final class ConfigLoader {
  /** Sources of the data contract; every one of them is read by this version. */
  public static final List<String> SUPPORTED_SOURCES = List.of("sessions", "surveys", "consultants",
      "messages", "qa_audits", "reviews", "outcomes", "work_time");

  /** Relations of a 360-degree review whose means make up review_360_mean. */
  static final List<String> REVIEW_RELATIONS = List.of("manager", "peer", "subordinate");

  static final List<String> FORMATS = List.of("csv", "json", "parquet", "delta");
  static final List<String> EPOCH_UNITS = List.of("none", "seconds", "millis");
  static final List<String> GRAINS = List.of("day", "week", "month");

  private static final String SECRET_MASK = "***";

  private ConfigLoader() {}

  public static AppConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw Errors.configFileNotFound(file.toString());
    }
    String origin = file.toString();
    Config user = parse(file);
    Config defaults = ConfigLoader.defaults("application-defaults.conf");
    new KeyChecker(defaults, Set.of("sources", "metrics.sla_seconds_by_channel", "spark.conf"))
        .check(user.root(), origin);
    Config merged = resolve(user.withFallback(defaults), origin);

    Path scoringFile = resolveSibling(file, merged.getString("scoring_file"));
    ScoringConfig scoring = ScoringConfigLoader.load(scoringFile);

    return new AppConfig(
        file,
        zone(merged, origin),
        oneOf(merged, "period.grain", GRAINS, origin),
        nonNegative(merged, "period.lookback_periods", origin),
        nonNegative(merged, "period.settle_days", origin),
        fraction(merged, "quality.max_reject_rate", origin),
        positive(merged, "quality.max_session_hours", origin),
        get(() -> merged.getInt("quality.min_year"), "quality.min_year", origin),
        get(() -> merged.getInt("quality.max_year"), "quality.max_year", origin),
        positive(merged, "metrics.sla_seconds", origin),
        intMap(merged, "metrics.sla_seconds_by_channel", origin),
        positive(merged, "metrics.csat_scale", origin),
        positive(merged, "metrics.satisfied_threshold", origin),
        window(merged, "metrics.fcr_window", origin),
        window(merged, "metrics.follow_up_window", origin),
        window(merged, "metrics.attribution_window", origin),
        reviewWeights(merged, origin),
        sources(merged, file, origin),
        resolveInputPath(merged.getString("output.path")),
        scratchPath(merged),
        identifier(merged, "output.database", origin),
        merged.getString("output.pseudonym_key"),
        merged.getString("spark.master"),
        merged.getString("spark.app_name"),
        stringMap(merged, "spark.conf", origin),
        scoring,
        digest(merged, scoring));
  }

  /** Resolves output.scratch_path like output.path; empty means {@code <output.path>/_scratch}. */
  private static String scratchPath(Config merged) {
    String path = merged.getString("output.scratch_path").trim();
    if (path.isEmpty()) {
      return defaultScratchPath(resolveInputPath(merged.getString("output.path")));
    }
    return resolveInputPath(path);
  }

  /** Returns the scratch path used when output.scratch_path is empty: _scratch under the output path. */
  static String defaultScratchPath(String outputPath) {
    return outputPath.replaceAll("/+$", "") + "/_scratch";
  }

  /** Parses a defaults file shipped in the jar beside this class. A missing file is a packaging error. */
  static Config defaults(String resource) {
    return ConfigFactory.parseResources(ConfigLoader.class, resource,
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  static Config parse(Path file) {
    try {
      return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw Errors.invalidConfig(file.toString(), "(file)", e.getMessage());
    }
  }

  static Config resolve(Config config, String origin) {
    try {
      return config.resolve();
    } catch (ConfigException e) {
      throw Errors.invalidConfig(origin, "(substitution)", e.getMessage());
    }
  }

  private static Path resolveSibling(Path file, String name) {
    Path candidate = Path.of(name);
    if (candidate.isAbsolute()) {
      return candidate;
    }
    Path parent = file.toAbsolutePath().getParent();
    return parent.resolve(candidate);
  }

  private static Map<String, SourceConfig> sources(Config merged, Path file, String origin) {
    Config sourceDefaults = ConfigLoader.defaults("source-defaults.conf");
    KeyChecker checker = new KeyChecker(sourceDefaults, Set.of("columns", "options"));
    Map<String, SourceConfig> sources = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : merged.getObject("sources").entrySet()) {
      String name = entry.getKey();
      String key = "sources." + name;
      String where = KeyChecker.describe(entry.getValue(), origin);
      if (!SUPPORTED_SOURCES.contains(name)) {
        throw Errors.invalidConfig(where, key, "unknown source (supported: "
            + String.join(", ", SUPPORTED_SOURCES) + ")");
      }
      if (!(entry.getValue() instanceof ConfigObject block)) {
        throw Errors.invalidConfig(where, key, "must be an object { format = ..., path = ... }");
      }
      checker.check(block, where);
      Config source = block.toConfig().withFallback(sourceDefaults);
      sources.put(name, source(name, source, file, where));
    }
    if (!sources.containsKey("sessions")) {
      throw Errors.invalidConfig(origin, "sources.sessions",
          "missing: the sessions source is required (format, path and columns)");
    }
    return sources;
  }

  private static SourceConfig source(String name, Config source, Path file, String origin) {
    String prefix = "sources." + name + ".";
    String path = source.getString("path").trim();
    if (path.isEmpty()) {
      throw Errors.invalidConfig(origin, prefix + "path", "missing: give the file, folder or URI to read");
    }
    String encoding = source.getString("encoding");
    if (!java.nio.charset.Charset.isSupported(encoding)) {
      throw Errors.invalidConfig(origin, prefix + "encoding",
          "unknown character set '" + encoding + "' (use UTF-8, GBK or GB18030)");
    }
    return new SourceConfig(
        name,
        oneOf(source, "format", FORMATS, origin, prefix),
        resolveInputPath(path),
        encoding,
        source.getString("timestamp_format"),
        oneOf(source, "epoch_unit", EPOCH_UNITS, origin, prefix),
        source.getString("filter").trim(),
        stringMap(source, "columns", origin),
        stringMap(source, "options", origin));
  }

  /**
   * Resolves a relative local path against the working directory; URIs with a scheme
   * (hdfs:, s3a:, abfss:, file:) are kept as written.
   */
  static String resolveInputPath(String path) {
    if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !path.matches("^[a-zA-Z]:\\\\.*")) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  private static ZoneId zone(Config config, String origin) {
    String id = config.getString("timezone");
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw Errors.invalidConfig(origin, "timezone", "unknown time zone '" + id
          + "' (use a region id such as Asia/Shanghai or America/New_York)");
    }
  }

  static <T> T get(Supplier<T> getter, String key, String origin) {
    try {
      return getter.get();
    } catch (ConfigException.WrongType | ConfigException.BadValue e) {
      throw Errors.invalidConfig(origin, key, e.getMessage());
    } catch (ConfigException.Missing e) {
      throw Errors.invalidConfig(origin, key, "missing and has no default");
    }
  }

  static String oneOf(Config config, String key, List<String> allowed, String origin) {
    return oneOf(config, key, allowed, origin, "");
  }

  static String oneOf(Config config, String key, List<String> allowed, String origin, String prefix) {
    String value = get(() -> config.getString(key), prefix + key, origin).trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw Errors.invalidConfig(origin, prefix + key,
          "'" + value + "' is not one of " + String.join(", ", allowed));
    }
    return value;
  }

  static int positive(Config config, String key, String origin) {
    int value = get(() -> config.getInt(key), key, origin);
    if (value <= 0) {
      throw Errors.invalidConfig(origin, key, "must be above 0, got " + value);
    }
    return value;
  }

  static int nonNegative(Config config, String key, String origin) {
    int value = get(() -> config.getInt(key), key, origin);
    if (value < 0) {
      throw Errors.invalidConfig(origin, key, "must be 0 or more, got " + value);
    }
    return value;
  }

  static double fraction(Config config, String key, String origin) {
    double value = get(() -> config.getDouble(key), key, origin);
    if (value < 0 || value > 1) {
      throw Errors.invalidConfig(origin, key, "must be between 0 and 1, got " + value);
    }
    return value;
  }

  private static String identifier(Config config, String key, String origin) {
    String value = config.getString(key);
    if (!value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw Errors.invalidConfig(origin, key, "'" + value + "' is not a valid database name (letters, digits, _)");
    }
    return value;
  }

  static Map<String, String> stringMap(Config config, String key, String origin) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> entry : config.getObject(key).entrySet()) {
      Object value = entry.getValue().unwrapped();
      if (value instanceof Map || value instanceof List) {
        throw Errors.invalidConfig(KeyChecker.describe(entry.getValue(), origin),
            key + "." + entry.getKey(), "must be a single value, not an object or list");
      }
      map.put(entry.getKey(), value == null ? null : String.valueOf(value));
    }
    return map;
  }

  /** A window such as "7 days" as whole seconds; 0 or more. */
  private static long window(Config config, String key, String origin) {
    java.time.Duration value = get(() -> config.getDuration(key), key, origin);
    if (value.isNegative()) {
      throw Errors.invalidConfig(origin, key, "must be 0 or more, got " + value);
    }
    return value.getSeconds();
  }

  /** Weights of the manager, peer and subordinate means in review_360_mean; each 0 or more. */
  private static Map<String, Double> reviewWeights(Config config, String origin) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String relation : REVIEW_RELATIONS) {
      String key = "metrics.review_weights." + relation;
      double weight = get(() -> config.getDouble(key), key, origin);
      if (weight < 0) {
        throw Errors.invalidConfig(origin, key, "must be 0 or more, got " + weight);
      }
      weights.put(relation, weight);
    }
    if (weights.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
      throw Errors.invalidConfig(origin, "metrics.review_weights",
          "at least one of manager, peer and subordinate must be above 0");
    }
    return weights;
  }

  private static Map<String, Integer> intMap(Config config, String key, String origin) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : stringMap(config, key, origin).entrySet()) {
      try {
        int value = Integer.parseInt(entry.getValue());
        if (value <= 0) {
          throw new NumberFormatException();
        }
        map.put(entry.getKey().toLowerCase(Locale.ROOT), value);
      } catch (NumberFormatException e) {
        throw Errors.invalidConfig(origin, key + "." + entry.getKey(),
            "must be a whole number of seconds above 0, got '" + entry.getValue() + "'");
      }
    }
    return map;
  }

  /** SHA-256 of the effective settings with secrets masked, recorded in run_log. */
  private static String digest(Config merged, ScoringConfig scoring) {
    Config masked = merged.withValue("output.pseudonym_key",
        com.typesafe.config.ConfigValueFactory.fromAnyRef(SECRET_MASK));
    String rendered = masked.root().render(ConfigRenderOptions.concise().setJson(true))
        + "|" + scoring.toString();
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Settings whose values must not appear in logs: keys that name a secret. */
  public static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return lower.contains("secret") || lower.contains("password") || lower.contains("token")
        || lower.contains("access.key") || lower.endsWith(".key") || lower.contains("pseudonym");
  }
}
