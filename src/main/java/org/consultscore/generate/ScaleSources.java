package org.consultscore.generate;

import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.temporal.ChronoUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the rows of every source of {@link ScaleDataGenerator} as Spark plans, starting from
 * {@code spark.range}. Nothing grows on the driver with the number of sessions: sessions and
 * their messages, surveys, audits and outcomes are computed per row from the session number
 * with {@link HashRandom}, and only the roster (one row per consultant) is broadcast.
 *
 * <p>Times are epoch seconds until the last step. Days are cut in the generator's time zone,
 * Asia/Shanghai, which has no daylight saving time, so day d starts 86400 * d seconds after
 * the first day. Text timestamps and the {@code date} partition use the session time zone,
 * which {@link ScaleDataGenerator} sets to that zone while it writes.
 */
final class ScaleSources {
  static final String DATE = "date";
  static final String TIMESTAMP_PATTERN = "yyyy-MM-dd HH:mm:ss";
  private static final long DAY = 86_400;
  private static final long HOUR = 3_600;
  /** Target sessions per partition of spark.range, so that a task writes about 2 million messages at 8 per session. */
  private static final long SESSIONS_PER_PARTITION = 250_000;
  /** Average sessions per customer; the number of customers follows from it. */
  private static final long SESSIONS_PER_CUSTOMER = 4;
  private static final String[] COMMENTS = {"谢谢，解答很清楚", "回复有点慢", "问题已解决，很满意", "还需要再确认一下"};

  // Stream numbers of HashRandom: every random choice has its own.
  private static final int CONSULTANT = 1;
  private static final int CUSTOMER = 2;
  private static final int START = 3;
  private static final int CHANNEL = 4;
  private static final int OUTBOUND = 5;
  private static final int QUEUED = 6;
  private static final int QUEUE_TIME = 7;
  private static final int FIRST_RESPONSE = 8;
  private static final int ANSWERED = 9;
  private static final int HANDLE = 10;
  private static final int RESOLVED = 11;
  private static final int TRANSFERRED = 12;
  private static final int MESSAGE_COUNT = 13;
  private static final int SURVEYED = 14;
  private static final int AUDITED = 15;
  private static final int OUTCOME = 16;
  private static final int SURVEY_LATE = 20;
  private static final int SURVEY_DELAY = 21;
  private static final int CSAT = 22;
  private static final int NPS_GIVEN = 24;
  private static final int NPS = 25;
  private static final int COMMENT = 27;
  private static final int AUDIT_DELAY = 30;
  private static final int AUDITOR = 31;
  private static final int AUDIT_ITEMS = 32;
  private static final int COMMUNICATION_GIVEN = 40;
  private static final int CRITICAL = 41;
  private static final int OUTCOME_TYPE = 50;
  private static final int AMOUNT = 51;
  private static final int BY_SESSION = 52;
  private static final int OUTCOME_LATE = 53;
  private static final int OUTCOME_DELAY = 54;
  private static final int MESSAGE_TIME = 60;
  private static final int PEER = 70;
  private static final int REVIEW_ITEMS = 71;
  private static final int GROWTH_GIVEN = 80;
  private static final int WORKED = 90;
  private static final int MINUTES = 91;

  private final SparkSession spark;
  private final ScaleOptions options;
  private final HashRandom random;
  private final ScaleRoster roster;
  private final long firstDayEpoch;
  private final int idWidth;

  ScaleSources(SparkSession spark, ScaleOptions options, ScaleRoster roster) {
    this.spark = spark;
    this.options = options;
    this.random = new HashRandom(options.seed());
    this.roster = roster;
    this.firstDayEpoch = options.firstDay().atStartOfDay(SampleDataGenerator.ZONE).toEpochSecond();
    this.idWidth = Math.max(6, Long.toString(options.sessions()).length());
  }

  /** Returns the number of spark.range partitions for the given number of rows. */
  private int partitions(long rows) {
    long needed = (rows + SESSIONS_PER_PARTITION - 1) / SESSIONS_PER_PARTITION;
    return (int) Math.max(spark.sparkContext().defaultParallelism(), needed);
  }

  /**
   * Returns one row per session with the generator's working columns: the session number
   * {@code id}, the consultant's behaviour, epoch seconds {@code _started}, {@code _assigned},
   * {@code _first_response}, {@code _ended}, the message count {@code _n} and the contract's
   * other columns.
   */
  Dataset<Row> sessionPlan() {
    long sessions = options.sessions();
    Column id = col("id");
    Dataset<Row> lookup = broadcast(roster.buckets(spark).join(roster.behaviour(spark), "_consultant"));
    Dataset<Row> rows = spark.range(0, sessions, 1, partitions(sessions))
        .withColumn("_day", floor(id.divide(options.sessionsPerDay())))
        .withColumn("_bucket", floor(random.uniform(CONSULTANT, id).multiply(roster.bucketCount())).cast("int"))
        .join(lookup, "_bucket");

    long customers = Math.max(10, sessions / SESSIONS_PER_CUSTOMER);
    // customer rank = floor(customers * u^2): a power law in which low ranks are the busiest
    // customers; the busiest has about 1 / sqrt(customers) of all sessions.
    Column customerRank = floor(pow(random.uniform(CUSTOMER, id), 2).multiply(customers)).plus(1);
    Column u = random.uniform(CHANNEL, id);
    Column channel = when(u.lt(0.35), "web").when(u.lt(0.60), "app").when(u.lt(0.80), "wechat")
        .when(u.lt(0.95), "phone").otherwise("email");
    rows = rows
        .withColumn("session_id", concat(lit("S"), lpad(id.plus(1).cast("string"), idWidth, "0")))
        .withColumn("customer_id", concat(lit("U"), lpad(customerRank.cast("string"), idWidth, "0")))
        .withColumn("_started", lit(firstDayEpoch).plus(col("_day").multiply(DAY)).plus(8 * HOUR)
            .plus(floor(random.uniform(START, id).multiply(13 * HOUR))))
        .withColumn("channel", channel)
        .withColumn("_outbound", random.uniform(OUTBOUND, id).lt(0.05));

    Column queued = not(col("_outbound")).and(col("channel").isin("web", "app"))
        .and(random.uniform(QUEUED, id).lt(0.3));
    Column emailScale = when(col("channel").equalTo("email"), 60).otherwise(1);
    // Capped at 6 hours, and handle time at 4 hours, so no session exceeds max_session_hours.
    Column frt = least(round(random.exponential(col("_frt_mean"), FIRST_RESPONSE, id).multiply(emailScale)),
        lit(6 * HOUR));
    Column handle = least(lit(120).plus(round(random.exponential(col("_handle_mean"), HANDLE, id))), lit(4 * HOUR));
    Column answered = col("_outbound").or(random.uniform(ANSWERED, id).lt(0.96));
    rows = rows
        .withColumn("_assigned", when(queued,
            col("_started").plus(20).plus(floor(random.uniform(QUEUE_TIME, id).multiply(120)))))
        .withColumn("_first_response", when(answered,
            coalesce(col("_assigned"), col("_started")).plus(when(col("_outbound"), 0).otherwise(frt))))
        .withColumn("_ended", coalesce(col("_first_response"), col("_assigned"), col("_started")).plus(handle))
        .withColumn("resolved", answered.and(random.uniform(RESOLVED, id).lt(col("_resolve_p"))))
        .withColumn("transferred", answered.and(random.uniform(TRANSFERRED, id).lt(col("_transfer_p"))));

    int half = options.messagesPerSession() / 2;
    Column count = lit(options.messagesPerSession() - half)
        .plus(floor(random.uniform(MESSAGE_COUNT, id).multiply(2 * half + 1))).cast("int");
    Column opener = floor(col("_n").plus(1).divide(2)).cast("int");
    Column replies = floor(col("_n").divide(2)).cast("int");
    return rows
        .withColumn("_n", count)
        .withColumn("customer_messages", when(col("_outbound"), replies)
            .when(col("_first_response").isNull(), col("_n")).otherwise(opener))
        .withColumn("consultant_messages", when(col("_outbound"), opener)
            .when(col("_first_response").isNull(), lit(0)).otherwise(replies));
  }

  Dataset<Row> sessions(Dataset<Row> plan) {
    return plan.select(
        col("session_id"), col("consultant_id"), col("customer_id"),
        timestamp("_started").as("started_at"),
        timestamp("_assigned").as("assigned_at"),
        timestamp("_first_response").as("first_response_at"),
        timestamp("_ended").as("ended_at"),
        col("channel"),
        lit(null).cast("string").as("business_line"),
        when(col("_outbound"), "consultant").otherwise("customer").as("initiated_by"),
        col("resolved"), col("transferred"), col("customer_messages"), col("consultant_messages"),
        dateOf("_started"));
  }

  /** Returns the number of message rows of {@link #messages}, computed without exploding the sessions. */
  long messageCount(Dataset<Row> plan) {
    Row total = plan.agg(sum("_n")).first();
    return total.isNullAt(0) ? 0 : total.getLong(0);
  }

  /**
   * Returns {@code _n} messages per session that alternate between the customer and the
   * consultant, starting with the side that opened the session. An answered inbound session's
   * second message is the first response, and the others are spread evenly between first
   * response and end, so reply times follow the consultant's profile. Unanswered sessions
   * have customer messages only.
   */
  Dataset<Row> messages(Dataset<Row> plan) {
    Dataset<Row> rows = plan.select(col("id"), col("session_id"), col("_started"), col("_first_response"),
        col("_ended"), col("_outbound"), col("_n"), explode(sequence(lit(0), col("_n").minus(1))).as("_k"));
    Column k = col("_k");
    Column u = random.uniform(MESSAGE_TIME, col("id"), k);
    Column answeredInbound = not(col("_outbound")).and(col("_first_response").isNotNull());
    Column afterResponse = col("_first_response").plus(floor(col("_ended").minus(col("_first_response"))
        .multiply(k.minus(2).plus(u)).divide(col("_n").minus(2))));
    Column afterStart = col("_started").plus(floor(col("_ended").minus(col("_started"))
        .multiply(k.minus(1).plus(u)).divide(col("_n").minus(1))));
    Column sent = when(k.equalTo(0), col("_started"))
        .when(answeredInbound.and(k.equalTo(1)), col("_first_response"))
        .when(answeredInbound, afterResponse)
        .otherwise(afterStart);
    Column even = k.mod(2).equalTo(0);
    Column sender = when(col("_outbound"), when(even, "consultant").otherwise("customer"))
        .when(col("_first_response").isNull(), "customer")
        .otherwise(when(even, "customer").otherwise("consultant"));
    return rows
        .withColumn("_sent", sent.cast("long"))
        .select(col("session_id"), timestamp("_sent").as("sent_at"), sender.as("sender"), dateOf("_sent"));
  }

  /**
   * Returns a survey for a share of sessions. Most arrive within hours of the session's end,
   * and one in ten arrives 1 to 14 days later, so some land after the last generated day.
   */
  Dataset<Row> surveys(Dataset<Row> plan) {
    Column id = col("id");
    Column late = random.uniform(SURVEY_LATE, id).lt(0.1);
    Column soon = lit(60).plus(least(round(random.exponential(lit(3.0 * HOUR), SURVEY_DELAY, id)), lit(DAY)));
    Column lateDelay = lit(DAY).plus(floor(random.uniform(SURVEY_DELAY, id).multiply(13 * DAY)));
    Column csat = clamp(round(col("_csat_mean").plus(random.gaussian(CSAT, id).multiply(0.8))), 1, 5).cast("int");
    Column nps = when(random.uniform(NPS_GIVEN, id).lt(0.8),
        clamp(round(col("csat").multiply(2).minus(1).plus(random.gaussian(NPS, id).multiply(1.5))), 0, 10).cast("int"));
    Column u = random.uniform(COMMENT, id);
    Column comment = when(u.lt(0.2), element_at(array(texts(COMMENTS)),
        floor(u.divide(0.2).multiply(COMMENTS.length)).cast("int").plus(1)));
    return plan.filter(random.uniform(SURVEYED, id).lt(options.surveyRate()))
        .withColumn("_submitted", col("_ended").plus(when(late, lateDelay).otherwise(soon)))
        .withColumn("csat", csat)
        .select(
            concat(lit("V"), lpad(id.plus(1).cast("string"), idWidth, "0")).as("survey_id"),
            col("session_id"),
            timestamp("_submitted").as("submitted_at"),
            col("csat"),
            nps.as("nps"),
            comment.as("comment"),
            dateOf("_submitted"));
  }

  /** Returns an audit for a share of sessions, 1 to 5 days after the session, with items around the profile's level. */
  Dataset<Row> audits(Dataset<Row> plan) {
    Column id = col("id");
    Column level = col("_resolve_p").multiply(100);
    return plan.filter(random.uniform(AUDITED, id).lt(options.auditRate()))
        .withColumn("_audited", col("_ended").plus(DAY).plus(floor(random.uniform(AUDIT_DELAY, id).multiply(4 * DAY))))
        .select(
            concat(lit("Q"), lpad(id.plus(1).cast("string"), idWidth, "0")).as("audit_id"),
            col("session_id"),
            concat(lit("QA"), lpad(floor(random.uniform(AUDITOR, id).multiply(20)).plus(1).cast("string"), 2, "0"))
                .as("auditor_id"),
            timestamp("_audited").as("audited_at"),
            auditItem(level, AUDIT_ITEMS, id).as("accuracy"),
            auditItem(level, AUDIT_ITEMS + 2, id).as("compliance"),
            auditItem(level, AUDIT_ITEMS + 4, id).as("professionalism"),
            when(random.uniform(COMMUNICATION_GIVEN, id).geq(0.2), auditItem(level, AUDIT_ITEMS + 6, id))
                .as("communication"),
            random.uniform(CRITICAL, id).lt(col("_transfer_p").divide(2)).as("critical_error"),
            dateOf("_audited"));
  }

  private Column auditItem(Column level, int stream, Column id) {
    return round(clamp(level.plus(random.gaussian(stream, id).multiply(8)), 0, 100)).cast("double");
  }

  /**
   * Returns an outcome for a share of sessions. Six in ten name the session: most occur
   * within an hour of its end, three in ten 1 to 14 days later. The others name only the
   * customer and occur 1 hour to 3 days after the end, within the default attribution window.
   */
  Dataset<Row> outcomes(Dataset<Row> plan) {
    Column id = col("id");
    Column u = random.uniform(OUTCOME_TYPE, id);
    Column type = when(u.lt(0.08), "refund").when(u.lt(0.36), "renewal").otherwise("purchase");
    Column amount = round(lit(50).plus(random.exponential(lit(400.0), AMOUNT, id)), 2).cast("decimal(18,2)");
    Column bySession = random.uniform(BY_SESSION, id).lt(0.6);
    Column delay = random.uniform(OUTCOME_DELAY, id);
    Column sessionDelay = when(random.uniform(OUTCOME_LATE, id).lt(0.3),
        lit(DAY).plus(floor(delay.multiply(13 * DAY)))).otherwise(lit(300).plus(floor(delay.multiply(3300))));
    Column customerDelay = lit(HOUR).plus(floor(delay.multiply(3 * DAY - HOUR)));
    return plan.filter(random.uniform(OUTCOME, id).lt(options.outcomeRate()))
        .withColumn("_by_session", bySession)
        .withColumn("_occurred", col("_ended").plus(when(col("_by_session"), sessionDelay).otherwise(customerDelay)))
        .select(
            concat(lit("O"), lpad(id.plus(1).cast("string"), idWidth, "0")).as("outcome_id"),
            type.as("outcome_type"),
            amount.as("amount"),
            timestamp("_occurred").as("occurred_at"),
            col("customer_id"),
            when(col("_by_session"), col("session_id")).as("session_id"),
            dateOf("_occurred"));
  }

  /**
   * Returns {@code reviewsPerMonth} reviews per consultant and calendar month that has
   * generated days: a self review, a manager review, for seniors with at least four reviews a
   * subordinate review, and peer reviews. They fall on the 25th, or on the nearest generated day.
   */
  Dataset<Row> reviews() {
    int consultants = roster.members().size();
    int perMonth = options.reviewsPerMonth();
    long months = ChronoUnit.MONTHS.between(options.firstDay().withDayOfMonth(1),
        options.lastDay().withDayOfMonth(1)) + 1;
    long total = consultants * months * perMonth;
    Column id = col("id");
    Column slot = col("id").mod(perMonth);
    Column personMonth = floor(id.divide(perMonth));
    Dataset<Row> rows = spark.range(0, total, 1, partitions(total))
        .withColumn("_slot", slot)
        .withColumn("_consultant", personMonth.mod(consultants).cast("int"))
        .withColumn("_month", floor(personMonth.divide(consultants)).cast("int"))
        .join(broadcast(roster.behaviour(spark)), "_consultant");

    Column peerIndex = col("_consultant").plus(1)
        .plus(floor(random.uniform(PEER, id).multiply(Math.max(1, consultants - 1)))).mod(consultants);
    int width = roster.members().get(0).id().length() - 1;
    Column peer = consultants > 1
        ? concat(lit("C"), lpad(peerIndex.plus(1).cast("string"), width, "0"))
        : concat(lit("P-"), col("consultant_id"));
    Column relation = when(col("_slot").equalTo(0), "self")
        .when(col("_slot").equalTo(1), "manager")
        .when(col("_senior").and(lit(perMonth >= 4)).and(col("_slot").equalTo(perMonth - 1)), "subordinate")
        .otherwise("peer");
    Column reviewer = when(col("_relation").equalTo("self"), col("consultant_id"))
        .when(col("_relation").equalTo("manager"), concat(lit("M-"), col("_team")))
        .when(col("_relation").equalTo("subordinate"), concat(lit("J-"), col("consultant_id")))
        .otherwise(peer);
    Column monthStart = add_months(lit(Date.valueOf(options.firstDay().withDayOfMonth(1))), col("_month"));
    Column day = least(greatest(date_add(monthStart, 24), lit(Date.valueOf(options.firstDay()))),
        lit(Date.valueOf(options.lastDay())));
    Column level = lit(1).plus(col("_resolve_p").multiply(4))
        .plus(when(col("_relation").equalTo("self"), 0.5).otherwise(0));
    rows = rows.withColumn("_relation", relation).withColumn("_reviewed", day);
    return rows.select(
        concat(lit("R"), lpad(id.plus(1).cast("string"), idWidth, "0")).as("review_id"),
        col("consultant_id").as("reviewee_id"),
        reviewer.as("reviewer_id"),
        col("_relation").as("relation"),
        dateValue(col("_reviewed")).as("reviewed_at"),
        reviewItem(level, REVIEW_ITEMS, id).as("teamwork"),
        reviewItem(level, REVIEW_ITEMS + 2, id).as("professionalism"),
        reviewItem(level, REVIEW_ITEMS + 4, id).as("communication"),
        when(random.uniform(GROWTH_GIVEN, id).geq(0.2), reviewItem(level, REVIEW_ITEMS + 6, id)).as("growth"),
        col("_reviewed").as(DATE));
  }

  private Column reviewItem(Column level, int stream, Column id) {
    return round(clamp(level.plus(random.gaussian(stream, id).multiply(0.6)), 1, 5)).cast("double");
  }

  /** Returns logged-in minutes for a share of consultant-days: about 450 a day, 240 for part-timers. */
  Dataset<Row> workTime() {
    int consultants = roster.members().size();
    long total = (long) consultants * options.days();
    Column id = col("id");
    Column base = when(col("_part_time"), 240.0).otherwise(450.0);
    Column workDate = date_add(lit(Date.valueOf(options.firstDay())), floor(id.divide(consultants)).cast("int"));
    return spark.range(0, total, 1, partitions(total))
        .filter(random.uniform(WORKED, id).lt(options.workTimeShare()))
        .withColumn("_consultant", id.mod(consultants).cast("int"))
        .join(broadcast(roster.behaviour(spark)), "_consultant")
        .withColumn("_work_date", workDate)
        .select(
            col("consultant_id"),
            dateValue(col("_work_date")).as("work_date"),
            round(clamp(base.plus(random.gaussian(MINUTES, id).multiply(30)), 0, 1440), 1).as("logged_in_minutes"),
            col("_work_date").as(DATE));
  }

  /** Converts epoch seconds to a timestamp, or to local text in CSV and JSON. */
  private Column timestamp(String epochSeconds) {
    Column value = timestamp_seconds(col(epochSeconds));
    return options.textFormat() ? date_format(value, TIMESTAMP_PATTERN) : value;
  }

  /** Returns the date, or its yyyy-MM-dd text in CSV and JSON. */
  private Column dateValue(Column date) {
    return options.textFormat() ? date_format(date, "yyyy-MM-dd") : date;
  }

  private static Column dateOf(String epochSeconds) {
    return to_date(timestamp_seconds(col(epochSeconds))).as(DATE);
  }

  private static Column clamp(Column value, double low, double high) {
    return least(greatest(value, lit(low)), lit(high));
  }

  private static Column[] texts(String... values) {
    Column[] columns = new Column[values.length];
    for (int i = 0; i < values.length; i++) {
      columns[i] = lit(values[i]);
    }
    return columns;
  }
}
