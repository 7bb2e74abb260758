package org.consultscore.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When the DuckDB peer's value of a metric counts as equal to the job's. */
class DuckDbPeerToleranceTest {
  @Test
  void doubleWithinTolerance() {
    assertTrue(DuckDbPeer.agree(120.5, 120.5 + 1e-9, false));
  }

  @Test
  void doubleOutsideTolerance() {
    assertFalse(DuckDbPeer.agree(120.5, 120.6, false));
  }

  @Test
  void countsMustBeEqual() {
    assertFalse(DuckDbPeer.agree(30.0, 31.0, true));
  }

  @Test
  void nullMatchesOnlyNull() {
    assertTrue(DuckDbPeer.agree(null, null, false), "both null");
    assertFalse(DuckDbPeer.agree(null, 0.0, false), "null against zero");
  }
}
