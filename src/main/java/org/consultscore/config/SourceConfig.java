package org.consultscore.config;

import java.util.Map;

/**
 * How to read one input source.
 *
 * @param name source name of the data contract (sessions, surveys, consultants)
 * @param format csv, json (JSON Lines), parquet or delta
 * @param path file, folder or URI
 * @param encoding character set of CSV files, e.g. UTF-8 (a BOM is skipped), GBK or GB18030
 * @param timestampFormat Spark datetime pattern for text timestamps; empty means ISO-8601
 * @param epochUnit none, seconds or millis: how numbers in timestamp columns are read
 * @param filter SQL predicate that selects the rows of the file that belong to this source;
 *     empty keeps every row
 * @param columns contract column to input column name or SQL expression
 * @param options extra Spark reader options
 */
public record SourceConfig(
    String name,
    String format,
    String path,
    String encoding,
    String timestampFormat,
    String epochUnit,
    String filter,
    Map<String, String> columns,
    Map<String, String> options) {}
