package org.consultscore.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.consultscore.config.Errors;
import org.consultscore.config.SourceConfig;

/**
 * Turns mapped input values into the contract's types. For each contract column {@code c}
 * it adds {@code c} (typed, null when absent or unreadable) and {@code _bad_c}, true when the
 * input held a value that could not be read. Text timestamps without a zone are read in the
 * session time zone, which the job sets to the configured timezone.
 */
final class FieldParser {
  static final String BAD_PREFIX = "_bad_";
  /** Type of money amounts in the data contract. */
  static final String AMOUNT_TYPE = "decimal(18,2)";
  private static final String EPOCH_PATTERN = "^-?[0-9]+(\\.[0-9]+)?$";

  private final SourceConfig source;
  private final int minYear;
  private final int maxYear;

  FieldParser(SourceConfig source, int minYear, int maxYear) {
    this.source = source;
    this.minYear = minYear;
    this.maxYear = maxYear;
  }

  Dataset<Row> parse(Dataset<Row> mapped, List<ContractColumn> contract) {
    Dataset<Row> parsed = mapped;
    for (ContractColumn column : contract) {
      String inputName = SourceReader.IN_PREFIX + column.name();
      DataType inputType = mapped.schema().apply(inputName).dataType();
      Column input = col(inputName);
      Column text = inputType instanceof StringType ? blankToNull(trim(input)) : input;
      Column value = typed(column, text, inputType);
      parsed = parsed
          .withColumn(column.name(), value)
          .withColumn(BAD_PREFIX + column.name(), text.isNotNull().and(col(column.name()).isNull()));
    }
    return parsed;
  }

  private Column typed(ContractColumn column, Column text, DataType inputType) {
    return switch (column.type()) {
      case STRING -> text.cast("string");
      case TIMESTAMP -> plausible(timestamp(column, text, inputType));
      // A date alone (no time of day) is read as local midnight of that day.
      case DATE_OR_TIMESTAMP -> plausible(inputType instanceof StringType
          ? coalesce(timestamp(column, text, inputType), to_date(text).cast("timestamp"))
          : timestamp(column, text, inputType));
      case BOOLEAN -> bool(text, inputType);
      case INT -> whole(text);
      case DOUBLE -> text.cast("double");
      case DECIMAL -> text.cast(AMOUNT_TYPE);
      case DATE -> inputType instanceof StringType ? to_date(text) : text.cast("date");
    };
  }

  private Column timestamp(ContractColumn column, Column text, DataType inputType) {
    if (inputType instanceof TimestampType) {
      return text;
    }
    if (inputType instanceof TimestampNTZType || inputType instanceof DateType) {
      return text.cast("timestamp");
    }
    if (inputType instanceof NumericType) {
      if ("none".equals(source.epochUnit())) {
        throw Errors.invalidConfig("source " + source.name(), "sources." + source.name() + ".epoch_unit",
            "column '" + column.name() + "' holds numbers; set epoch_unit = seconds or millis");
      }
      return epoch(text);
    }
    Column parsedText = source.timestampFormat().isEmpty()
        ? to_timestamp(text)
        : to_timestamp(text, source.timestampFormat());
    if ("none".equals(source.epochUnit())) {
      return parsedText;
    }
    return when(text.rlike(EPOCH_PATTERN), epoch(text)).otherwise(parsedText);
  }

  private Column epoch(Column number) {
    return "millis".equals(source.epochUnit())
        ? timestamp_millis(number.cast("long"))
        : timestamp_seconds(number.cast("double"));
  }

  /** Timestamps outside [minYear, maxYear] are treated as unreadable, not published. */
  private Column plausible(Column timestamp) {
    return when(year(timestamp).between(minYear, maxYear), timestamp);
  }

  private static Column bool(Column text, DataType inputType) {
    if (inputType instanceof BooleanType) {
      return text;
    }
    Column value = lower(text.cast("string"));
    return when(value.isin("true", "t", "yes", "y", "1", "1.0"), lit(true))
        .when(value.isin("false", "f", "no", "n", "0", "0.0"), lit(false));
  }

  /** Whole numbers only: "4" and "4.0" read as 4, "4.5" is unreadable. */
  private static Column whole(Column text) {
    Column number = text.cast("double");
    return when(number.equalTo(floor(number)), number.cast("int"));
  }

  private static Column blankToNull(Column text) {
    return when(text.notEqual(lit("")), text);
  }
}
