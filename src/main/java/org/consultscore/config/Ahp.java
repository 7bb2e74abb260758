package org.consultscore.config;

/**
 * The analytic hierarchy process on a pairwise comparison matrix: a_ij says how much more
 * important criterion i is than j (Saaty's 1-9 scale, a_ji = 1 / a_ij). The weights are the
 * principal eigenvector normalized to sum 1, found by power iteration (the matrix is
 * positive, so it converges to the Perron vector from the uniform start). Consistency:
 * CI = (lambda_max - n) / (n - 1), CR = CI / RI(n) with Saaty's random index; CR is 0 for
 * n <= 2, where every reciprocal matrix is consistent.
 */
public final class Ahp {
  /** Saaty's random index RI(n) for n = 1..10 (index 0 unused). */
  static final double[] RANDOM_INDEX = {0, 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49};
  /** Judgments are rejected above this consistency ratio. */
  public static final double MAX_CONSISTENCY_RATIO = 0.1;

  private static final int MAX_ITERATIONS = 10_000;
  private static final double CONVERGED = 1e-15;

  /** The weights (summing to 1), the principal eigenvalue and the consistency measures. */
  public record Result(double[] weights, double lambdaMax, double consistencyIndex, double consistencyRatio) {}

  private Ahp() {}

  /** Weights and consistency of a positive square matrix of at most 10 rows. */
  public static Result of(double[][] matrix) {
    int n = matrix.length;
    if (n == 0 || n >= RANDOM_INDEX.length) {
      throw new IllegalArgumentException("AHP needs 1 to " + (RANDOM_INDEX.length - 1) + " criteria, got " + n);
    }
    double[] weights = new double[n];
    java.util.Arrays.fill(weights, 1.0 / n);
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      double[] next = multiply(matrix, weights);
      double sum = 0;
      for (double value : next) {
        sum += value;
      }
      double change = 0;
      for (int i = 0; i < n; i++) {
        next[i] /= sum;
        change = Math.max(change, Math.abs(next[i] - weights[i]));
      }
      weights = next;
      if (change < CONVERGED) {
        break;
      }
    }
    double[] product = multiply(matrix, weights);
    double lambda = 0;
    for (int i = 0; i < n; i++) {
      lambda += product[i] / weights[i];
    }
    lambda /= n;
    double ci = n <= 2 ? 0 : (lambda - n) / (n - 1);
    double cr = n <= 2 ? 0 : ci / RANDOM_INDEX[n];
    // Rounding leaves lambda a few ulps from n on a consistent matrix; report that as 0.
    if (Math.abs(ci) < 1e-12) {
      ci = 0;
      cr = 0;
    }
    return new Result(weights, lambda, ci, cr);
  }

  private static double[] multiply(double[][] matrix, double[] vector) {
    double[] result = new double[vector.length];
    for (int i = 0; i < vector.length; i++) {
      for (int j = 0; j < vector.length; j++) {
        result[i] += matrix[i][j] * vector[j];
      }
    }
    return result;
  }
}
