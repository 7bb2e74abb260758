package org.consultscore.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The activity sources of the default sample set follow the planted profiles. */
class ActivityDataGeneratorTest {
  private static final Pattern SESSION_ID = Pattern.compile("\"session_id\":\"(S\\d+)\"");
  private static final Pattern TYPE = Pattern.compile("\"outcome_type\":\"(\\w+)\"");

  @TempDir
  static Path dir;

  private static final Map<String, String> profileOfConsultant = new HashMap<>();
  private static final Map<String, String> consultantOfSession = new HashMap<>();
  private static final Map<String, Double> sessionsByProfile = new HashMap<>();
  private static final Map<String, Double> hoursByProfile = new HashMap<>();
  private static final Map<String, Double> outcomesByProfile = new HashMap<>();
  private static final Map<String, Double> refundsByProfile = new HashMap<>();

  @BeforeAll
  static void generate() throws IOException {
    new SampleDataGenerator(20260901L, LocalDate.of(2026, 9, 1), 2, 40).write(dir);
    for (String line : lines("planted_profiles.csv")) {
      String[] fields = line.split(",");
      profileOfConsultant.put(fields[0], fields[1]);
    }
    for (String line : lines("sessions.csv")) {
      String[] fields = line.split(",");
      String profile = profileOfConsultant.get(fields[1]);
      if (profile != null && fields[0].matches("S0\\d+")) {
        consultantOfSession.put(fields[0], fields[1]);
        sessionsByProfile.merge(profile, 1.0, Double::sum);
      }
    }
    for (String line : lines("work_time.csv")) {
      String[] fields = line.split(",");
      double minutes = Double.parseDouble(fields[2]);
      if (minutes <= 1440) { // leaves out the out_of_range row
        hoursByProfile.merge(profileOfConsultant.get(fields[0]), minutes / 60, Double::sum);
      }
    }
    for (String line : lines("outcomes.jsonl")) {
      Matcher session = SESSION_ID.matcher(line);
      Matcher type = TYPE.matcher(line);
      if (session.find() && type.find() && consultantOfSession.containsKey(session.group(1))) {
        String profile = profileOfConsultant.get(consultantOfSession.get(session.group(1)));
        outcomesByProfile.merge(profile, 1.0, Double::sum);
        if (type.group(1).equals("refund")) {
          refundsByProfile.merge(profile, 1.0, Double::sum);
        }
      }
    }
  }

  /** Returns the data rows of a generated file, without the header line. */
  private static List<String> lines(String file) throws IOException {
    List<String> all = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
    return file.endsWith(".jsonl") ? all : all.subList(1, all.size());
  }

  private static double sessionsPerHour(String profile) {
    return sessionsByProfile.get(profile) / hoursByProfile.get(profile);
  }

  private static double outcomesPerSession(String profile) {
    return outcomesByProfile.getOrDefault(profile, 0.0) / sessionsByProfile.get(profile);
  }

  @Test
  void everyProfileIsPlanted() {
    assertEquals(5, sessionsByProfile.size(), sessionsByProfile.toString());
    assertEquals(5, hoursByProfile.size(), hoursByProfile.toString());
  }

  @Test
  void sessionsPerHourFollowProfile() {
    assertTrue(sessionsPerHour("fast_unsatisfying") > sessionsPerHour("average"), hoursByProfile.toString());
    assertTrue(sessionsPerHour("star") > sessionsPerHour("average"), hoursByProfile.toString());
    assertTrue(sessionsPerHour("average") > sessionsPerHour("slow_thorough"), hoursByProfile.toString());
    assertTrue(sessionsPerHour("average") > sessionsPerHour("struggling"), hoursByProfile.toString());
  }

  @Test
  void outcomesFollowProfile() {
    assertTrue(outcomesPerSession("star") > outcomesPerSession("average"), outcomesByProfile.toString());
    assertTrue(outcomesPerSession("average") > outcomesPerSession("fast_unsatisfying"), outcomesByProfile.toString());
    assertTrue(outcomesPerSession("average") > outcomesPerSession("struggling"), outcomesByProfile.toString());
  }

  @Test
  void fastUnsatisfyingHasMoreRefundsThanStar() {
    double fast = refundsByProfile.getOrDefault("fast_unsatisfying", 0.0) / outcomesByProfile.get("fast_unsatisfying");
    double star = refundsByProfile.getOrDefault("star", 0.0) / outcomesByProfile.get("star");
    assertTrue(fast > star, "refund share fast_unsatisfying " + fast + ", star " + star);
  }
}
