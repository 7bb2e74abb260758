package org.consultscore.segments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The clustering input of one period: dimension scores with gaps filled by the peer-group
 * mean (the row is flagged as imputed), then standardized to mean 0 and standard deviation 1.
 * Dimensions with the same value for everyone carry no information and are left out.
 */
final class FeatureMatrix {
  private static final double CONSTANT_EPSILON = 1e-9;

  private final List<String> ids = new ArrayList<>();
  private final List<Double> composites = new ArrayList<>();
  private final List<String> dimensions;
  private final double[][] filled;
  private final boolean[] imputed;
  private final List<String> active = new ArrayList<>();
  private final List<String> constant = new ArrayList<>();
  private final double[] mean;
  private final double[] deviation;

  private FeatureMatrix(List<String> dimensions, int rows) {
    this.dimensions = dimensions;
    this.filled = new double[rows][dimensions.size()];
    this.imputed = new boolean[rows];
    this.mean = new double[dimensions.size()];
    this.deviation = new double[dimensions.size()];
  }

  /** Rows hold consultant_id, composite, one score per dimension, then the peer-group columns. */
  static FeatureMatrix of(List<Row> rows, List<String> dimensions, List<String> peerColumns) {
    FeatureMatrix matrix = new FeatureMatrix(dimensions, rows.size());
    Double[][] raw = new Double[rows.size()][dimensions.size()];
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      matrix.ids.add(row.getString(0));
      matrix.composites.add(row.getDouble(1));
      for (int d = 0; d < dimensions.size(); d++) {
        raw[i][d] = row.isNullAt(2 + d) ? null : row.getDouble(2 + d);
      }
      StringBuilder group = new StringBuilder();
      for (int p = 0; p < peerColumns.size(); p++) {
        group.append(row.get(2 + dimensions.size() + p)).append('\u0001');
      }
      groups.add(group.toString());
    }
    matrix.fill(raw, groups);
    matrix.standardize();
    return matrix;
  }

  private void fill(Double[][] raw, List<String> groups) {
    for (int d = 0; d < dimensions.size(); d++) {
      Map<String, double[]> groupSums = new HashMap<>();
      double[] overall = new double[2];
      for (int i = 0; i < raw.length; i++) {
        if (raw[i][d] != null) {
          double[] sums = groupSums.computeIfAbsent(groups.get(i), g -> new double[2]);
          sums[0] += raw[i][d];
          sums[1]++;
          overall[0] += raw[i][d];
          overall[1]++;
        }
      }
      for (int i = 0; i < raw.length; i++) {
        if (raw[i][d] != null) {
          filled[i][d] = raw[i][d];
          continue;
        }
        double[] sums = groupSums.get(groups.get(i));
        double[] source = sums != null && sums[1] > 0 ? sums : overall;
        filled[i][d] = source[1] > 0 ? source[0] / source[1] : 50.0;
        imputed[i] = true;
      }
    }
  }

  private void standardize() {
    int n = filled.length;
    for (int d = 0; d < dimensions.size(); d++) {
      double sum = 0;
      for (double[] row : filled) {
        sum += row[d];
      }
      mean[d] = n == 0 ? 0 : sum / n;
      double squares = 0;
      for (double[] row : filled) {
        squares += (row[d] - mean[d]) * (row[d] - mean[d]);
      }
      deviation[d] = n == 0 ? 0 : Math.sqrt(squares / n);
      (deviation[d] > CONSTANT_EPSILON ? active : constant).add(dimensions.get(d));
    }
  }

  int size() {
    return filled.length;
  }

  String consultantId(int row) {
    return ids.get(row);
  }

  double composite(int row) {
    return composites.get(row);
  }

  boolean imputed(int row) {
    return imputed[row];
  }

  double filledScore(int row, String dimension) {
    int d = dimensions.indexOf(dimension);
    return d < 0 ? 0.0 : filled[row][d];
  }

  List<String> activeFeatures() {
    return active;
  }

  List<String> constantFeatures() {
    return constant;
  }

  /** The standardized features of a row, over the active dimensions only. */
  Vector feature(int row) {
    double[] values = new double[active.size()];
    for (int a = 0; a < active.size(); a++) {
      int d = dimensions.indexOf(active.get(a));
      values[a] = (filled[row][d] - mean[d]) / deviation[d];
    }
    return Vectors.dense(values);
  }

  List<Row> featureRows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      rows.add(RowFactory.create(i, feature(i)));
    }
    return rows;
  }

  int distinctRows() {
    Set<List<Double>> distinct = new HashSet<>();
    for (int i = 0; i < size(); i++) {
      distinct.add(Arrays.stream(feature(i).toArray()).map(v -> Math.round(v * 1e9) / 1e9).boxed().toList());
    }
    return distinct.size();
  }
}
