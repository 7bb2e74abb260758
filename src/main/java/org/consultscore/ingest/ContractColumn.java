package org.consultscore.ingest;

/** One column of a source in the data contract. */
record ContractColumn(String name, FieldType type, boolean required) {

  static ContractColumn required(String name, FieldType type) {
    return new ContractColumn(name, type, true);
  }

  static ContractColumn optional(String name, FieldType type) {
    return new ContractColumn(name, type, false);
  }
}
