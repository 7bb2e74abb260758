package org.consultscore.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.consultscore.config.AppConfig;
import org.consultscore.config.Errors;
import org.consultscore.config.SourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest stage: reads every configured source, applies the data contract's rules,
 * resolves duplicates, joins the roster, and counts every row into the quality report.
 */
public final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  public static final String UNKNOWN = "unknown";
  private static final String IN_FILTER = "_in_filter";
  private static final String CATEGORY = "_category";
  private static final String SESSION_KEY = "_session_key";
  private static final String COPIES = "_copies";
  private static final double MINUTES_PER_DAY = 1440;

  private final SparkSession spark;
  private final AppConfig config;
  private final List<Dataset<Row>> ledgers = new ArrayList<>();
  private final List<Dataset<Row>> quarantines = new ArrayList<>();

  private Ingest(SparkSession spark, AppConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /** Reads and validates all sources. Fails with exit code 2 when a source's reject share is too high. */
  public static IngestResult run(SparkSession spark, AppConfig config) {
    IngestResult result = new Ingest(spark, config).ingest();
    checkRejectRates(result.quality(), config.maxRejectRate());
    return result;
  }

  /** Reads and validates all sources without the reject-rate check, for the validate command. */
  public static IngestResult inspect(SparkSession spark, AppConfig config) {
    return new Ingest(spark, config).ingest();
  }

  private IngestResult ingest() {
    Dataset<Row> consultants = config.hasSource("consultants") ? consultants() : null;
    Dataset<Row> sessions = sessions(consultants);
    Dataset<Row> surveys = config.hasSource("surveys") ? surveys(sessions) : null;
    Dataset<Row> messages = config.hasSource("messages") ? messages(sessions) : null;
    Dataset<Row> audits = config.hasSource("qa_audits") ? audits(sessions) : null;
    Dataset<Row> reviews = config.hasSource("reviews") ? reviews() : null;
    Dataset<Row> outcomes = config.hasSource("outcomes") ? outcomes(sessions) : null;
    Dataset<Row> workTime = config.hasSource("work_time") ? workTime() : null;
    QualityReport quality = countLedger();
    Dataset<Row> quarantine = quarantines.stream().reduce(Dataset::unionByName).orElseThrow();
    return new IngestResult(sessions, surveys, consultants, messages, audits, reviews, outcomes, workTime,
        quarantine, quality);
  }

  private Dataset<Row> sessions(Dataset<Row> roster) {
    Dataset<Row> parsed = prepare("sessions", Contracts.SESSIONS,
        Rules.sessionReason(config.maxSessionHours()));
    Dataset<Row> candidates = recordRejected("sessions", parsed);
    Dataset<Row> marked = Deduplicator.mark(candidates, "session_id", Contracts.SESSIONS,
        col("ended_at").desc(), col("first_response_at").desc_nulls_last());
    Dataset<Row> kept = recordDuplicates("sessions", marked);

    Dataset<Row> sessions = kept
        .withColumn("initiated_by", coalesce(lower(col("initiated_by")), lit("customer")))
        .withColumn("channel", lower(col("channel")))
        .select(contractColumns(Contracts.SESSIONS));
    Dataset<Row> enriched = withRoster(sessions, roster).persist(StorageLevel.MEMORY_AND_DISK());

    ledger("sessions", enriched, lit(QualityReport.VALID), lit(Reasons.VALID));
    if (roster != null) {
      ledger("sessions", enriched.filter(col("known_consultant").equalTo(false)),
          lit(QualityReport.FLAGGED), lit(Reasons.UNKNOWN_CONSULTANT));
    }
    return enriched;
  }

  /**
   * Adds team_id, level and display_name from the roster; business_line comes from the
   * session when it has one, else from the roster. Consultants missing from a given roster
   * get team and business line {@code unknown} and known_consultant = false.
   */
  private static Dataset<Row> withRoster(Dataset<Row> sessions, Dataset<Row> roster) {
    if (roster == null) {
      return sessions
          .withColumn("team_id", lit(UNKNOWN))
          .withColumn("business_line", coalesce(col("business_line"), lit(UNKNOWN)))
          .withColumn("level", lit(UNKNOWN))
          .withColumn("display_name", lit(null).cast("string"))
          .withColumn("known_consultant", lit(true));
    }
    Dataset<Row> people = roster.select(
        col("consultant_id").as("_roster_id"),
        col("team_id").as("_roster_team"),
        col("business_line").as("_roster_line"),
        col("level").as("_roster_level"),
        col("display_name").as("_roster_name"));
    return sessions
        .join(broadcast(people), col("consultant_id").equalTo(col("_roster_id")), "left")
        .withColumn("team_id", coalesce(col("_roster_team"), lit(UNKNOWN)))
        // A consultant missing from the roster gets business line unknown even when the
        // session names one, so unregistered people are not compared with a real peer group.
        .withColumn("business_line", when(col("_roster_id").isNull(), lit(UNKNOWN))
            .otherwise(coalesce(col("business_line"), col("_roster_line"), lit(UNKNOWN))))
        .withColumn("level", coalesce(col("_roster_level"), lit(UNKNOWN)))
        .withColumn("display_name", col("_roster_name"))
        .withColumn("known_consultant", col("_roster_id").isNotNull())
        .drop("_roster_id", "_roster_team", "_roster_line", "_roster_level", "_roster_name");
  }

  private Dataset<Row> surveys(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("surveys", Contracts.SURVEYS,
        Rules.surveyReason(config.csatScale()));
    Dataset<Row> candidates = recordRejected("surveys", parsed);
    Dataset<Row> marked = Deduplicator.mark(candidates, "survey_id", Contracts.SURVEYS,
        col("submitted_at").desc());
    Dataset<Row> kept = recordDuplicates("surveys", marked);

    Dataset<Row> sessionStarts = sessions.select(
        col("session_id").as("_session_key"), col("started_at").as("_session_started"));
    Dataset<Row> joined = kept
        .join(sessionStarts, col("session_id").equalTo(col("_session_key")), "left")
        .withColumn(Rules.REASON,
            when(col("_session_key").isNull(), lit(Reasons.ORPHAN))
                .when(col("submitted_at").lt(col("_session_started")), lit(Reasons.SURVEY_BEFORE_SESSION)));
    Dataset<Row> attached = recordRejected("surveys", joined.withColumn(IN_FILTER, lit(true)));

    // Several surveys of one session: the latest submitted_at counts, the others are kept
    // in the counts as superseded.
    Dataset<Row> ranked = attached.withColumn("_survey_rank", row_number().over(
        Window.partitionBy("session_id").orderBy(col("submitted_at").desc(), col("survey_id").desc())));
    Dataset<Row> counted = ranked.filter(col("_survey_rank").equalTo(1))
        .select("survey_id", "session_id", "submitted_at", "csat", "nps")
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("surveys", ranked, lit(QualityReport.VALID), lit(Reasons.VALID));
    ledger("surveys", ranked.filter(col("_survey_rank").gt(1)),
        lit(QualityReport.FLAGGED), lit(Reasons.SUPERSEDED_SURVEY));
    return counted;
  }

  /** Messages of known sessions sent within [started_at, ended_at + 1 minute]; exact duplicates dropped. */
  private Dataset<Row> messages(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("messages", Contracts.MESSAGES,
        Rules.messageReason());
    Dataset<Row> candidates = recordRejected("messages", parsed)
        .withColumn("sender", lower(col("sender")));
    Dataset<Row> kept = dropExactDuplicates("messages", candidates, Contracts.MESSAGES);

    Dataset<Row> bounds = sessions.select(col("session_id").as(SESSION_KEY),
        col("started_at").as("_session_started"), col("ended_at").as("_session_ended"));
    Column late = col("sent_at").gt(col("_session_ended").plus(expr("INTERVAL 1 MINUTE")));
    Dataset<Row> joined = kept
        .join(bounds, col("session_id").equalTo(col(SESSION_KEY)), "left")
        .withColumn(Rules.REASON, when(col(SESSION_KEY).isNull(), lit(Reasons.ORPHAN))
            .when(col("sent_at").lt(col("_session_started")).or(late), lit(Reasons.MESSAGE_OUTSIDE_SESSION)));
    Dataset<Row> valid = recordRejected("messages", joined)
        .select(contractColumns(Contracts.MESSAGES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("messages", valid, lit(QualityReport.VALID), lit(Reasons.VALID));
    return valid;
  }

  /** Audits of known sessions; critical_error null counts as false. */
  private Dataset<Row> audits(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("qa_audits", Contracts.QA_AUDITS,
        Rules.auditReason());
    Dataset<Row> candidates = recordRejected("qa_audits", parsed);
    Dataset<Row> marked = Deduplicator.mark(candidates, "audit_id", Contracts.QA_AUDITS,
        col("audited_at").desc());
    Dataset<Row> kept = recordDuplicates("qa_audits", marked)
        .withColumn("critical_error", coalesce(col("critical_error"), lit(false)));
    Dataset<Row> valid = recordRejected("qa_audits", withOrphans(kept, sessions))
        .select(contractColumns(Contracts.QA_AUDITS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("qa_audits", valid, lit(QualityReport.VALID), lit(Reasons.VALID));
    return valid;
  }

  private Dataset<Row> reviews() {
    Dataset<Row> parsed = prepare("reviews", Contracts.REVIEWS,
        Rules.reviewReason());
    Dataset<Row> candidates = recordRejected("reviews", parsed)
        .withColumn("relation", lower(col("relation")));
    Dataset<Row> marked = Deduplicator.mark(candidates, "review_id", Contracts.REVIEWS,
        col("reviewed_at").desc());
    Dataset<Row> valid = recordDuplicates("reviews", marked)
        .select(contractColumns(Contracts.REVIEWS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("reviews", valid, lit(QualityReport.VALID), lit(Reasons.VALID));
    return valid;
  }

  /** Valid outcomes with the session each is attributed to; unattributed ones are counted and left out. */
  private Dataset<Row> outcomes(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("outcomes", Contracts.OUTCOMES,
        Rules.outcomeReason());
    Dataset<Row> candidates = recordRejected("outcomes", parsed)
        .withColumn("outcome_type", lower(col("outcome_type")));
    Dataset<Row> marked = Deduplicator.mark(candidates, "outcome_id", Contracts.OUTCOMES,
        col("occurred_at").desc());
    Dataset<Row> valid = recordDuplicates("outcomes", marked).select(contractColumns(Contracts.OUTCOMES));
    Dataset<Row> attributed = Attribution.attribute(valid, sessions, config.attributionWindowSeconds())
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("outcomes", attributed, lit(QualityReport.VALID), lit(Reasons.VALID));
    ledger("outcomes", attributed.filter(col(Attribution.SESSION).isNull()),
        lit(QualityReport.FLAGGED), lit(Reasons.UNATTRIBUTED_OUTCOME));
    return attributed.filter(col(Attribution.SESSION).isNotNull())
        .select(col("outcome_id"), col("outcome_type"), col("amount"), col("occurred_at"),
            col(Attribution.SESSION).as("session_id"));
  }

  /**
   * Logged-in minutes per consultant and day. Exact duplicate rows are dropped; the other rows
   * of one consultant and day are summed and capped at 1440 (the cap is counted as flagged).
   */
  private Dataset<Row> workTime() {
    Dataset<Row> parsed = prepare("work_time", Contracts.WORK_TIME,
        Rules.workTimeReason());
    Dataset<Row> candidates = recordRejected("work_time", parsed);
    Dataset<Row> kept = dropExactDuplicates("work_time", candidates, Contracts.WORK_TIME);
    ledger("work_time", kept, lit(QualityReport.VALID), lit(Reasons.VALID));

    Dataset<Row> days = kept.groupBy("consultant_id", "work_date")
        .agg(sum("logged_in_minutes").as("_minutes"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("work_time", days.filter(col("_minutes").gt(MINUTES_PER_DAY)),
        lit(QualityReport.FLAGGED), lit(Reasons.WORK_TIME_CAPPED));
    return days.select(col("consultant_id"), col("work_date"),
        least(col("_minutes"), lit(MINUTES_PER_DAY)).as("logged_in_minutes"));
  }

  /**
   * Keeps one row of each group of rows equal on every contract column and counts the others
   * as duplicates. The kept row is the one whose raw row sorts first, as in Deduplicator, but
   * found by hash aggregation, which needs no sort of all rows.
   */
  private Dataset<Row> dropExactDuplicates(String source, Dataset<Row> rows, List<ContractColumn> contract) {
    Column[] key = contractColumns(contract);
    Column first = col("_first");
    List<Column> columns = new ArrayList<>(List.of(key));
    columns.add(first.getField(SourceReader.RAW_JSON).as(SourceReader.RAW_JSON));
    columns.add(first.getField(SourceReader.SOURCE_FILE).as(SourceReader.SOURCE_FILE));
    columns.add(col(COPIES));
    Dataset<Row> grouped = rows.groupBy(key)
        .agg(count(lit(1)).as(COPIES),
            min(struct(col(SourceReader.RAW_JSON), col(SourceReader.SOURCE_FILE))).as("_first"))
        .select(columns.toArray(new Column[0]))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger(source, grouped.filter(col(COPIES).gt(1)), lit(QualityReport.DUPLICATE), lit(Reasons.DUPLICATE),
        col(COPIES).minus(1));
    return grouped.drop(COPIES);
  }

  /** Adds the reason orphan to rows whose session_id is not a valid session. */
  private static Dataset<Row> withOrphans(Dataset<Row> rows, Dataset<Row> sessions) {
    Dataset<Row> known = sessions.select(col("session_id").as(SESSION_KEY));
    return rows.join(known, col("session_id").equalTo(col(SESSION_KEY)), "left")
        .withColumn(Rules.REASON, when(col(SESSION_KEY).isNull(), lit(Reasons.ORPHAN)))
        .drop(SESSION_KEY);
  }

  private Dataset<Row> consultants() {
    Dataset<Row> parsed = prepare("consultants", Contracts.CONSULTANTS,
        Rules.consultantReason());
    Dataset<Row> candidates = recordRejected("consultants", parsed);
    Dataset<Row> marked = Deduplicator.mark(candidates, "consultant_id", Contracts.CONSULTANTS,
        col("hired_at").desc_nulls_last());
    Dataset<Row> kept = recordDuplicates("consultants", marked)
        .withColumn("active", coalesce(col("active"), lit(true)))
        .select(contractColumns(Contracts.CONSULTANTS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("consultants", kept, lit(QualityReport.VALID), lit(Reasons.VALID));
    return kept;
  }

  /**
   * Reads, maps and types one source and adds the reason rule's result, then persists the rows
   * so that the counts and later steps read the source once. Returns the rows inside the
   * source's filter; the rows outside it are counted, not read on.
   */
  private Dataset<Row> prepare(String name, List<ContractColumn> contract, Column reasonRule) {
    SourceConfig source = config.sources().get(name);
    Dataset<Row> raw = SourceReader.readRaw(spark, source);
    Column inFilter = source.filter().isEmpty() ? lit(true) : coalesce(filterExpression(raw, source), lit(false));
    Dataset<Row> mapped = SourceReader.map(raw, source, sourcesOfInput(source), contract,
        inFilter.as(IN_FILTER));
    // NOTE: with 80 million messages and a 6 GB local heap, building one of these cached batches
    // ran out of heap and Spark exited with code 52. No storage level is yet tested at that size.
    Dataset<Row> parsed = new FieldParser(source, config.minYear(), config.maxYear()).parse(mapped, contract)
        .withColumn(Rules.REASON, when(col(IN_FILTER), reasonRule))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger(name, parsed.filter(col(IN_FILTER).equalTo(false)),
        lit(QualityReport.FILTERED), lit(Reasons.FILTERED_OUT));
    LOG.debug("Source {}: reading {} as {}", name, source.path(), source.format());
    return parsed.filter(col(IN_FILTER));
  }

  /**
   * Returns the configured sources that read the same input as the given one, so that a file
   * feeding sessions and surveys masks its customer column in the quarantine rows of both.
   */
  private List<SourceConfig> sourcesOfInput(SourceConfig source) {
    return config.sources().values().stream()
        .filter(other -> other.path().equals(source.path()))
        .toList();
  }

  private static Column filterExpression(Dataset<Row> raw, SourceConfig source) {
    SourceReader.filter(raw, source);
    return expr(source.filter());
  }

  /** Sends rows with a reason to the quarantine and the ledger; returns the others. */
  private Dataset<Row> recordRejected(String source, Dataset<Row> rows) {
    Dataset<Row> rejected = rows.filter(col(Rules.REASON).isNotNull());
    ledger(source, rejected, lit(QualityReport.REJECTED), col(Rules.REASON));
    quarantine(source, rejected, col(Rules.REASON));
    return rows.filter(col(Rules.REASON).isNull()).drop(Rules.REASON);
  }

  /**
   * Counts duplicates, quarantines conflicting ones and returns the kept rows. The marked rows
   * are persisted so that the window behind the marks runs once for all three.
   */
  private Dataset<Row> recordDuplicates(String source, Dataset<Row> rows) {
    Dataset<Row> marked = rows.persist(StorageLevel.MEMORY_AND_DISK());
    Column status = col(Deduplicator.STATUS);
    ledger(source, marked.filter(status.notEqual(Deduplicator.KEPT)), lit(QualityReport.DUPLICATE), status);
    quarantine(source, marked.filter(status.equalTo(Reasons.CONFLICTING_DUPLICATE)), status);
    return marked.filter(status.equalTo(Deduplicator.KEPT)).drop(Deduplicator.STATUS);
  }

  private void ledger(String source, Dataset<Row> rows, Column category, Column reason) {
    ledger(source, rows, category, reason, lit(1L));
  }

  /** Adds rows to the ledger, each counting as {@code rowsCounted} input rows. */
  private void ledger(String source, Dataset<Row> rows, Column category, Column reason, Column rowsCounted) {
    ledgers.add(rows.select(lit(source).as("source"), category.as(CATEGORY), reason.as("reason"),
        rowsCounted.cast("long").as(COPIES)));
  }

  private void quarantine(String source, Dataset<Row> rows, Column reason) {
    quarantines.add(rows.select(
        lit(source).as("source"),
        reason.as("reason"),
        col(SourceReader.SOURCE_FILE).as("source_file"),
        col(SourceReader.RAW_JSON).as("raw_row")));
  }

  private QualityReport countLedger() {
    Dataset<Row> all = ledgers.stream().reduce(Dataset::unionByName).orElseThrow();
    List<QualityReport.Entry> counted = new ArrayList<>();
    for (Row row : all.groupBy("source", CATEGORY, "reason").agg(sum(COPIES)).collectAsList()) {
      counted.add(new QualityReport.Entry(row.getString(0), row.getString(1), row.getString(2), row.getLong(3)));
    }
    return QualityReport.withTotals(counted);
  }

  private static Column[] contractColumns(List<ContractColumn> contract) {
    return contract.stream().map(c -> col(c.name())).toArray(Column[]::new);
  }

  static void checkRejectRates(QualityReport quality, double maxRejectRate) {
    for (String source : quality.sources()) {
      double share = quality.rejectShare(source);
      if (share > maxRejectRate) {
        throw Errors.rejectRateExceeded(source, share, maxRejectRate, quality.topReasons(source, 3));
      }
    }
  }
}
