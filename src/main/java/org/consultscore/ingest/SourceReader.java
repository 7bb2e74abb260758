package org.consultscore.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.config.Errors;
import org.consultscore.config.SourceConfig;

/**
 * Reads one source in its configured format and maps its columns onto the data contract.
 * The result has, per contract column {@code c}, the input value in {@code _in_c} (text or
 * the input's own type), plus the masked raw row as a struct. The raw row becomes JSON, and
 * the file name is added, only for the rows that reach the quarantine ({@link #rawJson()},
 * {@link #sourceFile()}).
 */
final class SourceReader {
  static final String RAW = "_raw";
  static final String SOURCE_FILE = "_source_file";
  static final String IN_PREFIX = "_in_";
  static final String MASK = "***";
  private static final String BOM = "\uFEFF";
  private static final String CORRUPT_RECORD_CONF = "spark.sql.columnNameOfCorruptRecord";
  private static final String CORRUPT_RECORD_OPTION = "columnNameOfCorruptRecord";

  private SourceReader() {}

  /** Reads the input unchanged except for a BOM stripped from the first column name. */
  static Dataset<Row> readRaw(SparkSession spark, SourceConfig source) {
    try {
      Dataset<Row> raw = reader(spark, source).load(source.path());
      return stripBom(raw);
    } catch (Exception e) {
      throw Errors.unreadableSource(source.name(), source.path(), e);
    }
  }

  private static DataFrameReader reader(SparkSession spark, SourceConfig source) {
    DataFrameReader reader = spark.read().format(source.format());
    switch (source.format()) {
      case "csv" -> reader = reader
          .option("header", "true")
          .option("inferSchema", "false")
          .option("encoding", source.encoding())
          .option("mode", "PERMISSIVE");
      case "json" -> reader = reader
          .option("primitivesAsString", "true")
          .option("encoding", source.encoding())
          .option("mode", "PERMISSIVE");
      default -> { }
    }
    for (Map.Entry<String, String> option : source.options().entrySet()) {
      reader = reader.option(option.getKey(), option.getValue());
    }
    return reader;
  }

  private static Dataset<Row> stripBom(Dataset<Row> raw) {
    String[] names = raw.columns();
    if (names.length > 0 && names[0].startsWith(BOM)) {
      return raw.withColumnRenamed(names[0], names[0].substring(BOM.length()));
    }
    return raw;
  }

  /**
   * Maps every contract column and adds the masked raw row, the source file and the extra
   * columns. A required column without a mapping or same-named input column is an error
   * naming source and column.
   *
   * @param sourcesOfInput every configured source that reads the same input, this one
   *     included. A column that any of them maps to customer_id or comment is masked.
   */
  static Dataset<Row> map(Dataset<Row> raw, SourceConfig source, List<SourceConfig> sourcesOfInput,
      List<ContractColumn> contract, Column... extra) {
    List<String> inputColumns = Arrays.asList(raw.columns());
    List<Column> selected = new ArrayList<>(Arrays.asList(extra));
    selected.add(rawRow(raw, sourcesOfInput, corruptRecordColumn(raw, source)).as(RAW));
    for (ContractColumn column : contract) {
      selected.add(mapColumn(raw, source, column, inputColumns).as(IN_PREFIX + column.name()));
    }
    for (String key : source.columns().keySet()) {
      if (contract.stream().noneMatch(c -> c.name().equals(key))) {
        throw Errors.invalidMapping(source.name(), key, source.columns().get(key),
            "'" + key + "' is not a column of the " + source.name() + " contract");
      }
    }
    return raw.select(selected.toArray(new Column[0]));
  }

  /** Rows the source's filter keeps; every row when no filter is set. */
  static Dataset<Row> filter(Dataset<Row> raw, SourceConfig source) {
    if (source.filter().isEmpty()) {
      return raw;
    }
    try {
      Dataset<Row> filtered = raw.filter(expr(source.filter()));
      filtered.schema();
      return filtered;
    } catch (Exception e) {
      throw Errors.invalidMapping(source.name(), "filter", source.filter(), firstLine(e));
    }
  }

  private static Column mapColumn(Dataset<Row> raw, SourceConfig source, ContractColumn column,
      List<String> inputColumns) {
    String mapping = source.columns().get(column.name());
    if (mapping == null) {
      if (inputColumns.contains(column.name())) {
        return raw.col(quote(column.name()));
      }
      if (column.required()) {
        throw Errors.missingColumn(source.name(), column.name(), source.path(), inputColumns);
      }
      return lit(null).cast("string");
    }
    if (inputColumns.contains(mapping)) {
      return raw.col(quote(mapping));
    }
    try {
      Column mapped = expr(mapping);
      raw.select(mapped).schema();
      return mapped;
    } catch (Exception e) {
      if (column.required() && looksLikeColumnName(mapping)) {
        throw Errors.missingColumn(source.name(), column.name() + "' (mapped to '" + mapping,
            source.path(), inputColumns);
      }
      throw Errors.invalidMapping(source.name(), column.name(), mapping, firstLine(e));
    }
  }

  /**
   * Returns the file of the row being read. It is evaluated where it is used, after the
   * filters that pick the quarantined rows, because Spark cannot move a filter below this
   * nondeterministic expression. Use it only in the stage that scans the source.
   */
  static Column sourceFile() {
    return input_file_name();
  }

  /** Returns the masked raw row of {@link #map}'s result as JSON text, for the quarantine. */
  static Column rawJson() {
    return to_json(col(RAW));
  }

  /**
   * Builds the input row as a struct, with the values of input columns that feed customer_id or
   * comment replaced by a mask, so the quarantine never contains a raw customer id or a
   * comment. The corrupt-record column of a malformed JSON line is masked whole, because it
   * contains the unparsed line with every field in it.
   */
  private static Column rawRow(Dataset<Row> raw, List<SourceConfig> sourcesOfInput, String corruptRecord) {
    List<Column> fields = new ArrayList<>();
    for (String name : raw.columns()) {
      Column value = raw.col(quote(name));
      if (name.equals(corruptRecord) || isMasked(name, sourcesOfInput)) {
        value = when(value.isNull(), lit(null).cast("string")).otherwise(lit(MASK));
      }
      fields.add(value.as(name));
    }
    return struct(fields.toArray(new Column[0]));
  }

  /** Returns the name of the column in which Spark's JSON reader puts a line it cannot parse. */
  private static String corruptRecordColumn(Dataset<Row> raw, SourceConfig source) {
    String sessionDefault = raw.sparkSession().conf().get(CORRUPT_RECORD_CONF, "_corrupt_record");
    return source.options().getOrDefault(CORRUPT_RECORD_OPTION, sessionDefault);
  }

  static boolean isMasked(String inputColumn, List<SourceConfig> sourcesOfInput) {
    String lower = inputColumn.toLowerCase(Locale.ROOT);
    for (String field : Contracts.MASKED_FIELDS) {
      if (lower.equals(field)) {
        return true;
      }
      for (SourceConfig source : sourcesOfInput) {
        String mapping = source.columns().get(field);
        if (mapping != null && mapping.toLowerCase(Locale.ROOT).contains(lower)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean looksLikeColumnName(String mapping) {
    return mapping.matches("[\\p{L}_][\\p{L}\\p{N}_ ]*");
  }

  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String firstLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
