package org.consultscore.segments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Hungarian assignment against exhaustive search, and the distance threshold. */
class CentroidMatcherTest {
  private static double total(double[][] cost, int[] columns) {
    double sum = 0;
    for (int i = 0; i < columns.length; i++) {
      sum += cost[i][columns[i]];
    }
    return sum;
  }

  /** Returns the minimum total cost over all permutations, by exhaustive search. */
  private static double bruteForce(double[][] cost, int row, boolean[] used) {
    if (row == cost.length) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int j = 0; j < cost.length; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.min(best, cost[row][j] + bruteForce(cost, row + 1, used));
        used[j] = false;
      }
    }
    return best;
  }

  @Test
  void assignMatchesExhaustiveSearch() {
    Random random = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + random.nextInt(7);
      double[][] cost = new double[n][n];
      for (double[] row : cost) {
        for (int j = 0; j < n; j++) {
          // Few distinct values give many ties, the case where a faulty update shows.
          row[j] = trial % 2 == 0 ? random.nextDouble() * 100 : random.nextInt(4);
        }
      }
      int[] columns = CentroidMatcher.assign(cost);
      assertEquals(n, java.util.Arrays.stream(columns).distinct().count(), "trial " + trial + ": a permutation");
      assertEquals(bruteForce(cost, 0, new boolean[n]), total(cost, columns), 1e-9, "trial " + trial + ": optimal");
    }
  }

  @Test
  void greedyChoiceIsNotTaken() {
    // Greedy pairs current 0 with previous 0 (distance 1), forcing current 1 onto previous 1
    // (distance 10): total 11. The optimum is 0-1 and 1-0: 2 + 2 = 4.
    double[][] current = {{0, 0}, {3, 0}};
    double[][] previous = {{1, 0}, {-2, 0}};
    assertArrayEquals(new int[] {1, 0}, CentroidMatcher.match(current, previous, 50));
  }

  @Test
  void farCentroidIsNew() {
    double[][] current = {{10, 10}, {90, 90}};
    double[][] previous = {{12, 10}};
    assertArrayEquals(new int[] {0, CentroidMatcher.UNMATCHED}, CentroidMatcher.match(current, previous, 25));
  }

  @Test
  void beyondThresholdIsNotMatched() {
    double[][] current = {{0, 0}};
    double[][] previous = {{30, 0}};
    assertArrayEquals(new int[] {CentroidMatcher.UNMATCHED}, CentroidMatcher.match(current, previous, 25));
  }

  @Test
  void morePreviousThanCurrent() {
    double[][] current = {{50, 50}};
    double[][] previous = {{0, 0}, {49, 52}, {100, 100}};
    assertArrayEquals(new int[] {1}, CentroidMatcher.match(current, previous, 25));
  }

  @Test
  void noPreviousLeavesAllUnmatched() {
    int[] matched = CentroidMatcher.match(new double[][] {{1, 2}}, new double[0][], 25);
    assertArrayEquals(new int[] {CentroidMatcher.UNMATCHED}, matched);
  }

  @Test
  void missingCoordinateIsSkipped() {
    assertEquals(5.0, CentroidMatcher.distance(new double[] {0, 0, Double.NaN}, new double[] {3, 4, 80}), 1e-12);
  }
}
