package org.consultscore.ingest;

import static org.consultscore.ingest.SessionLine.session;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.consultscore.SparkTestSession;
import org.consultscore.TestProject;
import org.consultscore.config.AppConfig;
import org.consultscore.job.SparkSessions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV character sets. One run reads sessions in UTF-8 with a byte order mark and a roster with
 * Chinese names in GBK. Another run reads a roster in GB18030 with characters GBK cannot encode.
 */
class CsvEncodingTest {
  private static final String ROSTER_HEADER = "consultant_id,display_name,team_id";

  @TempDir
  static Path dir;

  @TempDir
  Path gb18030Dir;

  private static Map<String, Row> sessions;
  private static Map<String, String> gbkNames;

  @BeforeAll
  static void ingestBomAndGbk() {
    TestProject project = TestProject.in(dir);
    Path sessionsFile = project.file("sessions.csv", StandardCharsets.UTF_8,
        "\uFEFF" + TestProject.SESSIONS_HEADER,
        session("s1").csv(),
        session("s2").with("consultant_id", "B").csv());
    project.source("sessions", "format = csv\npath = \"" + sessionsFile + "\"\nencoding = \"UTF-8\"");
    Path roster = project.file("consultants.csv", Charset.forName("GBK"),
        ROSTER_HEADER,
        "A,张伟,销售一组",
        "B,欧阳娜娜,售后二组");
    project.source("consultants", "format = csv\npath = \"" + roster + "\"\nencoding = GBK");

    IngestResult result = ingest(project);

    sessions = result.sessions().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("session_id"), r -> r));
    gbkNames = names(result);
  }

  private static IngestResult ingest(TestProject project) {
    SparkSession spark = SparkTestSession.spark();
    AppConfig config = project.load();
    SparkSessions.configure(spark, config);
    return Ingest.run(spark, config);
  }

  private static Map<String, String> names(IngestResult result) {
    return result.consultants().collectAsList().stream()
        .collect(Collectors.toMap(r -> r.<String>getAs("consultant_id"), r -> r.<String>getAs("display_name")));
  }

  @Test
  void bomBeforeFirstColumnIsSkipped() {
    assertEquals(2, sessions.size(), "published sessions");
    assertEquals("s1", sessions.get("s1").<String>getAs("session_id"), "session_id, the first column");
  }

  @Test
  void gbkRosterKeepsChineseNames() {
    assertEquals("张伟", gbkNames.get("A"), "display_name of A");
    assertEquals("欧阳娜娜", gbkNames.get("B"), "display_name of B");
  }

  @Test
  void gbkRosterJoinsSessions() {
    assertEquals("张伟", sessions.get("s1").<String>getAs("display_name"), "display_name of s1");
    assertEquals("售后二组", sessions.get("s2").<String>getAs("team_id"), "team_id of s2");
  }

  @Test
  void gb18030RosterKeepsNamesOutsideGbk() {
    String twoByteName = "李䶮";
    String fourByteName = "陈𠀀";
    assertFalse(Charset.forName("GBK").newEncoder().canEncode(twoByteName + fourByteName),
        "the names must need GB18030");
    TestProject project = TestProject.in(gb18030Dir).sessions(session("s1").csv());
    Path roster = project.file("consultants.csv", Charset.forName("GB18030"),
        ROSTER_HEADER,
        "A," + twoByteName + ",t1",
        "B," + fourByteName + ",t2");
    project.source("consultants", "format = csv\npath = \"" + roster + "\"\nencoding = GB18030");

    Map<String, String> names = names(ingest(project));

    assertEquals(twoByteName, names.get("A"), "display_name of A");
    assertEquals(fourByteName, names.get("B"), "display_name of B");
  }
}
