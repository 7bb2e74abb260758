package org.consultscore.generate;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The consultants of {@link ScaleDataGenerator}, built on the driver because the roster is
 * small (one row per consultant). Each consultant gets a planted profile of
 * {@link SampleDataGenerator.Profile} in turn and a workload weight: every eighth works part
 * time, and a few, chosen at random, are much busier than the rest (weight 1 + 3 / rank).
 */
final class ScaleRoster {
  static final String[] BUSINESS_LINES = {"education", "finance", "legal", "medical", "after_sales"};
  private static final int TEAM_SIZE = 12;
  private static final double PART_TIME_WEIGHT = 0.3;
  /** Buckets per consultant of the lookup table that maps a uniform number to a consultant. */
  private static final int BUCKETS_PER_CONSULTANT = 16;
  private static final int MIN_BUCKETS = 1024;
  private static final String[] FAMILY = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
  private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "杰", "婷", "强", "军"};

  /** One consultant and the behaviour the generator draws from. */
  record Member(int index, String id, String name, String team, String businessLine, String level,
      LocalDate hiredAt, SampleDataGenerator.Profile profile, boolean partTime, double weight) {}

  private final List<Member> members;

  ScaleRoster(long seed, int count, LocalDate firstDay) {
    Random random = new Random(seed);
    List<Integer> busyRanks = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      busyRanks.add(i);
    }
    Collections.shuffle(busyRanks, random);
    SampleDataGenerator.Profile[] profiles = SampleDataGenerator.Profile.values();
    int width = Math.max(4, Integer.toString(count).length());
    int teams = (count + TEAM_SIZE - 1) / TEAM_SIZE;
    int teamWidth = Math.max(2, Integer.toString(teams).length());
    List<Member> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int team = i / TEAM_SIZE;
      boolean partTime = (i + 1) % 8 == 0;
      double weight = (partTime ? PART_TIME_WEIGHT : 1.0) * (1 + 3.0 / busyRanks.get(i));
      String name = FAMILY[random.nextInt(FAMILY.length)] + GIVEN[random.nextInt(GIVEN.length)];
      list.add(new Member(i, String.format(Locale.ROOT, "C%0" + width + "d", i + 1), name,
          String.format(Locale.ROOT, "T%0" + teamWidth + "d", team + 1),
          BUSINESS_LINES[team % BUSINESS_LINES.length], (i + 1) % 3 == 0 ? "senior" : "junior",
          firstDay.minusDays(100 + random.nextInt(900)), profiles[i % profiles.length], partTime, weight));
    }
    this.members = List.copyOf(list);
  }

  List<Member> members() {
    return members;
  }

  /** Returns the roster in the contract's columns. */
  Dataset<Row> consultants(SparkSession spark) {
    StructType schema = new StructType()
        .add("consultant_id", DataTypes.StringType)
        .add("display_name", DataTypes.StringType)
        .add("team_id", DataTypes.StringType)
        .add("business_line", DataTypes.StringType)
        .add("level", DataTypes.StringType)
        .add("hired_at", DataTypes.DateType)
        .add("active", DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>();
    for (Member m : members) {
      rows.add(RowFactory.create(m.id(), m.name(), m.team(), m.businessLine(), m.level(), Date.valueOf(m.hiredAt()),
          true));
    }
    return spark.createDataFrame(rows, schema).coalesce(1);
  }

  /**
   * Returns one row per consultant with the generator's behaviour columns: index, id, team,
   * level, part-time flag and the profile's parameters.
   */
  Dataset<Row> behaviour(SparkSession spark) {
    StructType schema = new StructType()
        .add("_consultant", DataTypes.IntegerType)
        .add("consultant_id", DataTypes.StringType)
        .add("_team", DataTypes.StringType)
        .add("_senior", DataTypes.BooleanType)
        .add("_part_time", DataTypes.BooleanType)
        .add("_frt_mean", DataTypes.DoubleType)
        .add("_handle_mean", DataTypes.DoubleType)
        .add("_resolve_p", DataTypes.DoubleType)
        .add("_csat_mean", DataTypes.DoubleType)
        .add("_transfer_p", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (Member m : members) {
      SampleDataGenerator.Profile p = m.profile();
      double handleMean = p == SampleDataGenerator.Profile.SLOW_THOROUGH ? 900 : 480;
      rows.add(RowFactory.create(m.index(), m.id(), m.team(), m.level().equals("senior"), m.partTime(),
          p.frtMeanSeconds, handleMean, p.resolveProbability, p.csatMean, p.transferProbability));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** Returns the number of rows of {@link #buckets}. */
  int bucketCount() {
    return Math.max(MIN_BUCKETS, BUCKETS_PER_CONSULTANT * members.size());
  }

  /**
   * Returns the lookup table (_bucket, _consultant). Bucket b of n belongs to the consultant
   * whose share of the cumulative workload weight contains (b + 0.5) / n. So a uniform number
   * u picks consultant c with a probability close to c's share of the weight.
   */
  Dataset<Row> buckets(SparkSession spark) {
    int count = bucketCount();
    double total = members.stream().mapToDouble(Member::weight).sum();
    StructType schema = new StructType()
        .add("_bucket", DataTypes.IntegerType)
        .add("_consultant", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    int member = 0;
    double upper = members.get(0).weight() / total;
    for (int b = 0; b < count; b++) {
      double point = (b + 0.5) / count;
      while (point >= upper && member < members.size() - 1) {
        member++;
        upper += members.get(member).weight() / total;
      }
      rows.add(RowFactory.create(b, member));
    }
    return spark.createDataFrame(rows, schema);
  }

  /** Returns planted_profiles.csv: consultant id and planted profile, lower case. */
  List<String> plantedProfiles() {
    List<String> lines = new ArrayList<>(List.of("consultant_id,planted_profile"));
    members.forEach(m -> lines.add(m.id() + "," + m.profile().name().toLowerCase(Locale.ROOT)));
    return lines;
  }
}
