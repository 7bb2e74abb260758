package org.consultscore.segments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.ScoringConfig;
import org.consultscore.config.ScoringConfigLoader;

/** Score rows over three dimensions and scoring rules with a given segments block. */
final class SegmentFixtures {
  static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("period_start", DataTypes.DateType, false),
      DataTypes.createStructField("consultant_id", DataTypes.StringType, false),
      DataTypes.createStructField("business_line", DataTypes.StringType, false),
      DataTypes.createStructField("composite", DataTypes.DoubleType, true),
      DataTypes.createStructField("responsiveness_score", DataTypes.DoubleType, true),
      DataTypes.createStructField("resolution_score", DataTypes.DoubleType, true),
      DataTypes.createStructField("satisfaction_score", DataTypes.DoubleType, true)});

  private SegmentFixtures() {}

  /** Loads the test rules of TestProject with {@code segments} in place of their segments block. */
  static ScoringConfig rules(Path dir, String segments) throws Exception {
    Path file = Files.createTempFile(dir, "scoring", ".conf");
    Files.writeString(file, TestProject.defaultScoring(30).replace("segments { k_min = 2, k_max = 3 }", segments));
    return ScoringConfigLoader.load(file);
  }

  static Row person(LocalDate period, String id, Double composite, Double responsiveness, Double resolution,
      Double satisfaction) {
    return RowFactory.create(Date.valueOf(period), id, "edu", composite, responsiveness, resolution, satisfaction);
  }

  static Dataset<Row> scores(List<Row> rows) {
    return SparkTestSession.spark().createDataFrame(rows, SCHEMA);
  }

  /**
   * Twelve people around each of the centers, with Gaussian noise of 3 points. Ids are
   * "p{center}-{i}", so the same seed and centers give the same people.
   */
  static List<Row> planted(LocalDate period, long seed, double[][] centers) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < centers.length; p++) {
      for (int i = 0; i < 12; i++) {
        double r = centers[p][0] + random.nextGaussian() * 3;
        double s = centers[p][1] + random.nextGaussian() * 3;
        double t = centers[p][2] + random.nextGaussian() * 3;
        rows.add(person(period, "p" + p + "-" + i, (r + s + t) / 3, r, s, t));
      }
    }
    return rows;
  }
}
