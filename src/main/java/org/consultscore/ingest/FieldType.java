package org.consultscore.ingest;

/** Types of the data contract's columns. */
enum FieldType {
  STRING, TIMESTAMP, BOOLEAN, INT, DOUBLE, DATE
}
