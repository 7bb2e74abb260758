package org.consultscore.ingest;

/** Types of the data contract's columns. */
enum FieldType {
  STRING, TIMESTAMP, DATE_OR_TIMESTAMP, BOOLEAN, INT, DOUBLE, DECIMAL, DATE
}
