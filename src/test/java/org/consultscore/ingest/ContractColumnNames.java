package org.consultscore.ingest;

import java.util.List;

/**
 * Exposes the contract column names of each source to the benchmark code in another package,
 * so its bare scan reads exactly the columns the job reads.
 */
public final class ContractColumnNames {
  private ContractColumnNames() {}

  /** Returns the contract column names of a source, e.g. {@code sessions}, in contract order. */
  public static List<String> of(String source) {
    return Contracts.of(source).stream().map(ContractColumn::name).toList();
  }
}
