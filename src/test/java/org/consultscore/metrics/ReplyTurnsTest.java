package org.consultscore.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.consultscore.SparkTestSession;
import org.junit.jupiter.api.Test;

/** Reply turns of hand-made chats, one turn shape per message group. */
class ReplyTurnsTest {
  private static final StructType SCHEMA = new StructType()
      .add("session_id", DataTypes.StringType)
      .add("sent_at", DataTypes.TimestampType)
      .add("sender", DataTypes.StringType);

  private static Row message(String session, String time, String sender) {
    return RowFactory.create(session, Timestamp.valueOf("2026-09-01 " + time), sender);
  }

  @Test
  void turnsOfChats() {
    List<Row> messages = List.of(
        // s1: a consultant opens (no turn); a turn of two customer messages and a system
        // message answered after 180 s; a second consultant message (no turn); a turn answered
        // after 120 s; a last turn never answered.
        message("s1", "09:59:00", "consultant"),
        message("s1", "10:00:00", "customer"),
        message("s1", "10:01:00", "customer"),
        message("s1", "10:02:00", "system"),
        message("s1", "10:03:00", "consultant"),
        message("s1", "10:04:00", "consultant"),
        message("s1", "10:05:00", "customer"),
        message("s1", "10:07:00", "consultant"),
        message("s1", "10:08:00", "customer"),
        // s2: at the same instant the customer message sorts first, so its turn is answered at once.
        message("s2", "09:00:00", "consultant"),
        message("s2", "09:00:00", "customer"),
        message("s2", "09:00:00", "consultant"),
        // s3: customer messages only.
        message("s3", "11:00:00", "customer"),
        message("s3", "11:01:00", "customer"),
        // s4: two customer messages at one instant open one turn, answered after 120 s.
        message("s4", "12:00:00", "customer"),
        message("s4", "12:00:00", "customer"),
        message("s4", "12:02:00", "consultant"),
        // s5: a consultant message at the instant of the turn's second message answers the
        // turn, 60 s after its first message.
        message("s5", "13:00:00", "customer"),
        message("s5", "13:01:00", "customer"),
        message("s5", "13:01:00", "consultant"));
    List<String> turns = new ArrayList<>();
    for (Row row : ReplyTurns.of(SparkTestSession.spark().createDataFrame(messages, SCHEMA))
        .orderBy("session_id", "reply_s").collectAsList()) {
      turns.add(row.getString(0) + " " + row.getDouble(1));
    }
    assertEquals(List.of("s1 120.0", "s1 180.0", "s2 0.0", "s4 120.0", "s5 60.0"), turns);
  }
}
