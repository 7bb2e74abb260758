package org.consultscore.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds dimension scores (0-100) for many consultants with five planted profiles, to check
 * that the segments stage finds them at scale. Unlike SampleDataGenerator it writes no session
 * data: each consultant gets the profile's center per dimension plus Gaussian noise, clipped to
 * [0, 100]. The same seed gives the same consultants.
 */
public final class PlantedProfiles {
  /** The dimensions of the scoring rules, in the order of the centers below. */
  public static final List<String> DIMENSIONS = List.of(
      "responsiveness", "resolution", "satisfaction", "quality", "business", "efficiency", "collaboration");

  /** A planted profile and its center per dimension, in the order of {@link #DIMENSIONS}. */
  public enum Profile {
    STAR(85, 85, 85, 80, 75, 80, 80),
    FAST_UNSATISFYING(85, 40, 20, 40, 45, 80, 45),
    SLOW_THOROUGH(20, 80, 80, 80, 50, 25, 60),
    AVERAGE(50, 50, 50, 50, 50, 50, 50),
    STRUGGLING(15, 20, 25, 25, 20, 30, 30);

    private final double[] center;

    Profile(double... center) {
      this.center = center;
    }

    public double center(String dimension) {
      return center[DIMENSIONS.indexOf(dimension)];
    }
  }

  /** One consultant of one period: the planted profile and a score per dimension. */
  public record Consultant(String id, Profile profile, Map<String, Double> scores) {
    /** Returns the unweighted mean of the given dimensions' scores. */
    public double mean(List<String> dimensions) {
      return dimensions.stream().mapToDouble(scores::get).average().orElse(Double.NaN);
    }
  }

  private final Random random;
  private final double noise;

  /** @param noise standard deviation of the Gaussian noise, in score points */
  public PlantedProfiles(long seed, double noise) {
    this.random = new Random(seed);
    this.noise = noise;
  }

  /** Returns {@code count} consultants C0001, C0002, ... with the profiles in turn. */
  public List<Consultant> consultants(int count) {
    Profile[] profiles = Profile.values();
    List<Consultant> consultants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = String.format(Locale.ROOT, "C%04d", i + 1);
      consultants.add(draw(id, profiles[i % profiles.length]));
    }
    return consultants;
  }

  /**
   * Returns the same consultants in a later period with fresh noise. Every {@code changeEvery}-th
   * consultant (0: none) switches to the next profile, so a test can tell who changed.
   */
  public List<Consultant> nextPeriod(List<Consultant> previous, int changeEvery) {
    Profile[] profiles = Profile.values();
    List<Consultant> next = new ArrayList<>();
    for (int i = 0; i < previous.size(); i++) {
      Consultant consultant = previous.get(i);
      boolean change = changeEvery > 0 && i % changeEvery == 0;
      Profile profile = change ? profiles[(consultant.profile().ordinal() + 1) % profiles.length] : consultant.profile();
      next.add(draw(consultant.id(), profile));
    }
    return next;
  }

  private Consultant draw(String id, Profile profile) {
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String dimension : DIMENSIONS) {
      double score = profile.center(dimension) + random.nextGaussian() * noise;
      scores.put(dimension, Math.max(0, Math.min(100, score)));
    }
    return new Consultant(id, profile, scores);
  }
}
