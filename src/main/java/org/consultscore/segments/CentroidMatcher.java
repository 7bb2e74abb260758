package org.consultscore.segments;

import java.util.Arrays;

/**
 * Matches the segment centroids of a period to those of the previous period: the one-to-one
 * assignment with the least total Euclidean distance (Hungarian algorithm), where a pair further
 * apart than the maximum distance is not a match.
 */
final class CentroidMatcher {
  static final int UNMATCHED = -1;

  private CentroidMatcher() {}

  /**
   * Returns, for each current centroid, the index of its previous centroid or {@link #UNMATCHED}.
   * Centroids are points on the 0-100 dimension-score scale. A NaN coordinate (a dimension one of
   * the two periods did not score) is left out of that pair's distance.
   */
  static int[] match(double[][] current, double[][] previous, double maxDistance) {
    int[] matched = new int[current.length];
    Arrays.fill(matched, UNMATCHED);
    if (current.length == 0 || previous.length == 0) {
      return matched;
    }
    int size = Math.max(current.length, previous.length);
    // Capping a pair's cost at maxDistance makes any pair beyond it cost the same as leaving
    // both unmatched, so a far pair cannot pull a close pair apart. Every full assignment uses
    // the same number of padding cells, so their cost does not change the optimum.
    double[][] cost = new double[size][size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        boolean real = i < current.length && j < previous.length;
        cost[i][j] = real ? Math.min(distance(current[i], previous[j]), maxDistance) : maxDistance;
      }
    }
    int[] assignment = assign(cost);
    for (int i = 0; i < current.length; i++) {
      int j = assignment[i];
      if (j < previous.length && distance(current[i], previous[j]) <= maxDistance) {
        matched[i] = j;
      }
    }
    return matched;
  }

  /** Euclidean distance over the coordinates both points have. */
  static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int d = 0; d < Math.min(a.length, b.length); d++) {
      if (Double.isNaN(a[d]) || Double.isNaN(b[d])) {
        continue;
      }
      sum += (a[d] - b[d]) * (a[d] - b[d]);
    }
    return Math.sqrt(sum);
  }

  /**
   * Solves the assignment problem on a square cost matrix in O(n^3) with the Hungarian algorithm
   * (shortest augmenting paths with row and column potentials). Returns the column of each row.
   */
  static int[] assign(double[][] cost) {
    int n = cost.length;
    // The arrays are 1-based. Index 0 is the virtual start column of each augmenting path.
    double[] rowPotential = new double[n + 1];
    double[] columnPotential = new double[n + 1];
    int[] rowOfColumn = new int[n + 1];
    int[] previousColumn = new int[n + 1];
    for (int row = 1; row <= n; row++) {
      rowOfColumn[0] = row;
      int column = 0;
      double[] slack = new double[n + 1];
      boolean[] used = new boolean[n + 1];
      Arrays.fill(slack, Double.POSITIVE_INFINITY);
      do {
        used[column] = true;
        int currentRow = rowOfColumn[column];
        double delta = Double.POSITIVE_INFINITY;
        int nextColumn = 0;
        for (int j = 1; j <= n; j++) {
          if (used[j]) {
            continue;
          }
          double reduced = cost[currentRow - 1][j - 1] - rowPotential[currentRow] - columnPotential[j];
          if (reduced < slack[j]) {
            slack[j] = reduced;
            previousColumn[j] = column;
          }
          if (slack[j] < delta) {
            delta = slack[j];
            nextColumn = j;
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            rowPotential[rowOfColumn[j]] += delta;
            columnPotential[j] -= delta;
          } else {
            slack[j] -= delta;
          }
        }
        column = nextColumn;
      } while (rowOfColumn[column] != 0);
      do {
        int before = previousColumn[column];
        rowOfColumn[column] = rowOfColumn[before];
        column = before;
      } while (column != 0);
    }
    int[] columnOfRow = new int[n];
    for (int j = 1; j <= n; j++) {
      columnOfRow[rowOfColumn[j] - 1] = j - 1;
    }
    return columnOfRow;
  }
}
