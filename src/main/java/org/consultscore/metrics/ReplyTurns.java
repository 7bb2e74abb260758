package org.consultscore.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Customer turns of the sessions' chats and their reply times. A turn is a maximal run of
 * consecutive customer messages (system messages are ignored); its reply time runs from its
 * first message to the next consultant message. Turns never answered are left out.
 */
final class ReplyTurns {
  private ReplyTurns() {}

  /**
   * Returns one row per answered turn: session_id, reply_s. The messages are sorted once, and
   * one window counts the consultant messages before each message. That count numbers the
   * turns: the customer messages of a turn and the consultant message that answers it share it,
   * so grouping by it finds each turn's first message and its reply.
   */
  static Dataset<Row> of(Dataset<Row> messages) {
    Column fromConsultant = col("_from_consultant");
    Dataset<Row> chat = messages.filter(col("sender").isin("customer", "consultant"))
        // At the same instant a customer message sorts before a consultant message.
        .withColumn("_from_consultant", col("sender").equalTo("consultant"));
    WindowSpec precedingRows = Window.partitionBy("session_id").orderBy(col("sent_at"), fromConsultant)
        .rowsBetween(Window.unboundedPreceding(), -1);
    // A group without a customer message (a consultant message right after another) has no
    // _asked and is left out, as is a turn that no consultant message follows.
    return chat
        .withColumn("_turn", count(when(fromConsultant, lit(1))).over(precedingRows))
        .groupBy(col("session_id"), col("_turn"))
        .agg(min(when(not(fromConsultant), col("sent_at"))).as("_asked"),
            min(when(fromConsultant, col("sent_at"))).as("_next_reply"))
        .filter(col("_asked").isNotNull().and(col("_next_reply").isNotNull()))
        .select(col("session_id"), SessionFacts.seconds(col("_next_reply"), col("_asked")).as("reply_s"));
  }

  /**
   * Counts the turns of inbound sessions per period, consultant, team, business line and
   * reply_s, a turn once for each period its session counts in. The consultant, team and
   * business line aggregations all read these counts, which are far fewer rows than the turns
   * when reply times repeat.
   */
  static Dataset<Row> countsByGroup(Dataset<Row> turns, Dataset<Row> facts) {
    // The sessions, fewer than the turns, are the hash join's build side, so neither side is sorted.
    Dataset<Row> inbound = facts.filter(col("inbound"))
        .select("session_id", "period_start", "consultant_id", "team_id", "business_line")
        .hint("shuffle_hash");
    return turns.join(inbound, "session_id")
        .groupBy("period_start", "consultant_id", "team_id", "business_line", "reply_s")
        .agg(count(lit(1)).as(MetricAggregation.VALUE_COUNT));
  }
}
