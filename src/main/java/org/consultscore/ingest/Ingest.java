package org.consultscore.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.consultscore.config.AppConfig;
import org.consultscore.config.Errors;
import org.consultscore.config.Scratch;
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
  private static final String PARSE_REASON = "_parse_reason";
  private static final String RAW_TEXT = "_raw_text";
  private static final String GROUP_PREFIX = "_group_";
  private static final String BRANCH = "_quarantine_branch";
  private static final String LEDGER_ENTRY = "_ledger_entry";
  /** Ledger rows that have no quarantine rows. */
  private static final int NO_BRANCH = -1;
  private static final double MINUTES_PER_DAY = 1440;

  private final SparkSession spark;
  private final AppConfig config;
  private final Scratch scratch;
  private final List<Dataset<Row>> ledgers = new ArrayList<>();
  private final List<Dataset<Row>> quarantines = new ArrayList<>();
  /** Cached rows needed only until the ledger is counted. */
  private final List<Dataset<Row>> ledgerOnly = new ArrayList<>();

  private Ingest(SparkSession spark, AppConfig config, Scratch scratch) {
    this.spark = spark;
    this.config = config;
    this.scratch = scratch;
  }

  /**
   * Reads and validates all sources, keeping the checked sessions and messages in the
   * scratch, whose folder must stay in place until the result's datasets have been read. Fails
   * with exit code 2 when a source's reject share is too high.
   */
  public static IngestResult run(SparkSession spark, AppConfig config, Scratch scratch) {
    IngestResult result = new Ingest(spark, config, scratch).ingest();
    checkRejectRates(result.quality(), config.maxRejectRate());
    return result;
  }

  /** Like {@link #run(SparkSession, AppConfig, Scratch)}, with local checkpoints for the scratch. */
  public static IngestResult run(SparkSession spark, AppConfig config) {
    return run(spark, config, Scratch.inMemory(spark));
  }

  /**
   * Reads and validates all sources without the reject-rate check, for the validate command.
   * Writes no file.
   */
  public static IngestResult inspect(SparkSession spark, AppConfig config) {
    return new Ingest(spark, config, Scratch.inMemory(spark)).ingest();
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
    Counted counted = countLedger();
    // Counting the ledger built every cached result of ingest, because each is counted in it.
    // The intermediate rows behind them are not read again, so they free their memory.
    ledgerOnly.forEach(rows -> rows.unpersist(false));
    return new IngestResult(sessions, surveys, consultants, messages, audits, reviews, outcomes, workTime,
        quarantineOf(counted.quarantineBranches()), counted.quality());
  }

  private Dataset<Row> sessions(Dataset<Row> roster) {
    Dataset<Row> parsed = prepare("sessions", Contracts.SESSIONS,
        Rules.sessionReason(config.maxSessionHours()));
    // The checked sessions go to the scratch: every source joined to them and the metrics stage
    // read them, each time a few of their columns.
    Dataset<Row> kept = dropDuplicateKeys("sessions", parsed, "session_id", Contracts.SESSIONS,
        rows -> scratch.materialize("sessions", rows),
        col("ended_at").desc(), col("first_response_at").desc_nulls_last());

    Dataset<Row> sessions = kept
        .withColumn("initiated_by", coalesce(lower(col("initiated_by")), lit("customer")))
        .withColumn("channel", lower(col("channel")))
        .select(contractColumns(Contracts.SESSIONS));
    // Not cached: each use reads the columns it needs from the scratch and joins the small roster.
    Dataset<Row> enriched = withRoster(sessions, roster);

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
    Dataset<Row> candidates = withoutRejected(parsed);
    Dataset<Row> kept = dropDuplicateKeys("surveys", parsed, "survey_id", Contracts.SURVEYS,
        col("submitted_at").desc());

    Dataset<Row> sessionStarts = sessions.select(
        col("session_id").as("_session_key"), col("started_at").as("_session_started"));
    // The surveys, far fewer than the sessions, are the hash join's build side, so the sessions
    // are not sorted for it.
    Dataset<Row> joined = kept.hint("shuffle_hash")
        .join(sessionStarts, col("session_id").equalTo(col("_session_key")), "left")
        .withColumn(Rules.REASON,
            when(col("_session_key").isNull(), lit(Reasons.ORPHAN))
                .when(col("submitted_at").lt(col("_session_started")), lit(Reasons.SURVEY_BEFORE_SESSION)));
    Dataset<Row> attached = recordRejected("surveys",
        joined.select(contractColumns(Contracts.SURVEYS, col(Rules.REASON))), candidates, Contracts.SURVEYS);

    // Several surveys of one session: the latest submitted_at counts, the others are kept
    // in the counts as superseded.
    Dataset<Row> ranked = attached
        .select(col("survey_id"), col("session_id"), col("submitted_at"), col("csat"), col("nps"),
            row_number().over(Window.partitionBy("session_id")
                .orderBy(col("submitted_at").desc(), col("survey_id").desc())).as("_survey_rank"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("surveys", ranked, lit(QualityReport.VALID), lit(Reasons.VALID));
    ledger("surveys", ranked.filter(col("_survey_rank").gt(1)),
        lit(QualityReport.FLAGGED), lit(Reasons.SUPERSEDED_SURVEY));
    return ranked.filter(col("_survey_rank").equalTo(1)).drop("_survey_rank");
  }

  /**
   * Messages of known sessions sent within [started_at, ended_at + 1 minute]; exact duplicates
   * dropped. Messages are the largest source by far, so one result in the scratch carries every
   * group of equal rows with its copies and reasons. The ledger counts it, and the valid rows
   * are read from it.
   */
  private Dataset<Row> messages(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("messages", Contracts.MESSAGES,
        Rules.messageReason());
    Dataset<Row> lowered = parsed.withColumn("sender", lower(col("sender")));
    Dataset<Row> candidates = withoutRejected(lowered);
    int rejectedBranch = quarantineRejected("messages", lowered);
    // Partitioned by session once: the duplicate check and the join with the sessions both
    // group by session_id and reuse it.
    Dataset<Row> groups = exactDuplicateGroups(lowered, Contracts.MESSAGES, col("session_id"));

    // A hash join on the session partitions: the messages, the larger side by far, need no sort
    // for it, and the reply-turn window sorts them by time anyway.
    Dataset<Row> bounds = sessions.select(col("session_id").as(SESSION_KEY),
        col("started_at").as("_session_started"), col("ended_at").as("_session_ended"))
        .hint("shuffle_hash");
    Column parseReason = col(Rules.REASON);
    Column late = col("sent_at").gt(col("_session_ended").plus(expr("INTERVAL 1 MINUTE")));
    Column reason = when(parseReason.isNotNull(), parseReason)
        .when(col(SESSION_KEY).isNull(), lit(Reasons.ORPHAN))
        .when(col("sent_at").lt(col("_session_started")).or(late), lit(Reasons.MESSAGE_OUTSIDE_SESSION));
    Dataset<Row> checked = scratch.materialize("messages", groups
        .join(bounds, col("session_id").equalTo(col(SESSION_KEY)), "left")
        .select(contractColumns(Contracts.MESSAGES, col(COPIES), parseReason.as(PARSE_REASON),
            reason.as(Rules.REASON))));

    Column parseValid = col(PARSE_REASON).isNull();
    Column sessionRejected = col(Rules.REASON).isNotNull();
    Dataset<Row> accepted = checked.filter(parseValid).select(contractColumns(Contracts.MESSAGES, col(Rules.REASON)));
    int sessionRejectedBranch = quarantineGroups("messages", accepted.filter(sessionRejected), candidates,
        Contracts.MESSAGES);

    // The ledger reads the scratch once. A group rejected by the parser counts all its copies
    // under that reason. Any other group counts once, and its other copies count as duplicates.
    Column entry = when(not(parseValid),
            ledgerEntry("messages", QualityReport.REJECTED, col(PARSE_REASON), col(COPIES), rejectedBranch))
        .when(sessionRejected,
            ledgerEntry("messages", QualityReport.REJECTED, col(Rules.REASON), lit(1L), sessionRejectedBranch))
        .otherwise(ledgerEntry("messages", QualityReport.VALID, lit(Reasons.VALID), lit(1L), NO_BRANCH));
    Column duplicates = when(parseValid.and(col(COPIES).gt(1)),
        ledgerEntry("messages", QualityReport.DUPLICATE, lit(Reasons.DUPLICATE), col(COPIES).minus(1), NO_BRANCH));
    ledgers.add(checked.select(explode(array(entry, duplicates)).as(LEDGER_ENTRY))
        .filter(col(LEDGER_ENTRY).isNotNull())
        .select(LEDGER_ENTRY + ".*"));
    return accepted.filter(not(sessionRejected)).drop(Rules.REASON);
  }

  /** Audits of known sessions; critical_error null counts as false. */
  private Dataset<Row> audits(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("qa_audits", Contracts.QA_AUDITS,
        Rules.auditReason());
    Dataset<Row> candidates = withoutRejected(parsed);
    Dataset<Row> kept = dropDuplicateKeys("qa_audits", parsed, "audit_id", Contracts.QA_AUDITS,
        col("audited_at").desc());
    Dataset<Row> valid = recordRejected("qa_audits", withOrphans(kept, sessions), candidates, Contracts.QA_AUDITS)
        .withColumn("critical_error", coalesce(col("critical_error"), lit(false)))
        .select(contractColumns(Contracts.QA_AUDITS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("qa_audits", valid, lit(QualityReport.VALID), lit(Reasons.VALID));
    return valid;
  }

  private Dataset<Row> reviews() {
    Dataset<Row> parsed = prepare("reviews", Contracts.REVIEWS,
        Rules.reviewReason());
    Dataset<Row> valid = dropDuplicateKeys("reviews", parsed.withColumn("relation", lower(col("relation"))),
        "review_id", Contracts.REVIEWS,
        col("reviewed_at").desc())
        .select(contractColumns(Contracts.REVIEWS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("reviews", valid, lit(QualityReport.VALID), lit(Reasons.VALID));
    return valid;
  }

  /** Valid outcomes with the session each is attributed to; unattributed ones are counted and left out. */
  private Dataset<Row> outcomes(Dataset<Row> sessions) {
    Dataset<Row> parsed = prepare("outcomes", Contracts.OUTCOMES,
        Rules.outcomeReason());
    Dataset<Row> valid = dropDuplicateKeys("outcomes", parsed.withColumn("outcome_type", lower(col("outcome_type"))),
        "outcome_id", Contracts.OUTCOMES,
        col("occurred_at").desc()).select(contractColumns(Contracts.OUTCOMES));
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
    Dataset<Row> kept = dropExactDuplicates("work_time", parsed, Contracts.WORK_TIME);
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
   * Counts and quarantines the rows with a reason, keeps one row of each group of the other
   * rows equal on every contract column and counts the others as duplicates. The result has
   * the contract columns only: a hash aggregation on them and the reason, with no raw row to
   * carry, so no sort of all rows. The raw rows of rejected rows are read again for the
   * quarantine only when the ledger counts some.
   */
  private Dataset<Row> dropExactDuplicates(String source, Dataset<Row> parsed, List<ContractColumn> contract) {
    Column reason = col(Rules.REASON);
    // The quarantine reads the rows before any shuffle, where the source file name is known.
    int rejectedBranch = quarantineRejected(source, parsed);
    Dataset<Row> grouped = cacheUntilLedger(exactDuplicateGroups(parsed, contract));
    ledger(source, grouped.filter(reason.isNotNull()), lit(QualityReport.REJECTED), reason, col(COPIES),
        rejectedBranch);

    Dataset<Row> valid = grouped.filter(reason.isNull());
    ledger(source, valid.filter(col(COPIES).gt(1)), lit(QualityReport.DUPLICATE), lit(Reasons.DUPLICATE),
        col(COPIES).minus(1));
    return valid.drop(COPIES, Rules.REASON);
  }

  /**
   * Returns one row per group of parsed rows equal on the contract columns and the reason,
   * with the group's size in {@value #COPIES}. Given {@code partitionKeys}, the rows are hash
   * partitioned by them before the aggregation, so a later step grouped by the same keys needs
   * no shuffle.
   */
  private static Dataset<Row> exactDuplicateGroups(Dataset<Row> parsed, List<ContractColumn> contract,
      Column... partitionKeys) {
    Dataset<Row> rows = partitionKeys.length == 0 ? parsed : parsed.repartition(partitionKeys);
    return rows.groupBy(contractColumns(contract, col(Rules.REASON)))
        .agg(count(lit(1)).as(COPIES));
  }

  /**
   * Adds to each group of exact duplicates (rows of {@link #dropExactDuplicates}'s result with a
   * reason) the raw row and source file of its first input row, ordered by raw JSON then file,
   * so the quarantine shows a row that was read and does not depend on input order.
   */
  private static Dataset<Row> withFirstRawRow(Dataset<Row> groups, Dataset<Row> candidates,
      List<ContractColumn> contract) {
    List<Column> keys = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    for (ContractColumn column : contract) {
      keys.add(col(GROUP_PREFIX + column.name()));
      columns.add(col(GROUP_PREFIX + column.name()).as(column.name()));
    }
    keys.add(col(GROUP_PREFIX + Rules.REASON));
    columns.add(col(GROUP_PREFIX + Rules.REASON).as(Rules.REASON));
    columns.add(col("_first." + RAW_TEXT).as(RAW_TEXT));
    columns.add(col("_first." + SourceReader.SOURCE_FILE).as(SourceReader.SOURCE_FILE));
    Column first = min(struct(SourceReader.rawJson().as(RAW_TEXT), col(SourceReader.SOURCE_FILE)));
    return matchingRows(groups, candidates, contract)
        .groupBy(keys.toArray(new Column[0]))
        .agg(first.as("_first"))
        .select(columns.toArray(new Column[0]));
  }

  /**
   * Returns the candidate rows, with their raw row and source file, whose contract columns
   * equal those of one of the given rows. Only the given rows are looked up, which are few in
   * normal data, so Spark's adaptive execution can broadcast them.
   */
  private static Dataset<Row> rawRowsOf(Dataset<Row> groups, Dataset<Row> candidates,
      List<ContractColumn> contract) {
    return matchingRows(groups, candidates, contract).select(contractColumns(contract,
        col(SourceReader.RAW), col(SourceReader.SOURCE_FILE)));
  }

  /**
   * Joins the candidates to the rows equal on the contract columns. The given rows' columns
   * (and their reason, when they have one) get the prefix {@value #GROUP_PREFIX}, because both
   * sides share their lineage.
   */
  private static Dataset<Row> matchingRows(Dataset<Row> groups, Dataset<Row> candidates,
      List<ContractColumn> contract) {
    List<Column> renamed = new ArrayList<>();
    Column matches = lit(true);
    for (ContractColumn column : contract) {
      renamed.add(col(column.name()).as(GROUP_PREFIX + column.name()));
      matches = matches.and(col(column.name()).eqNullSafe(col(GROUP_PREFIX + column.name())));
    }
    if (List.of(groups.columns()).contains(Rules.REASON)) {
      renamed.add(col(Rules.REASON).as(GROUP_PREFIX + Rules.REASON));
    }
    Dataset<Row> withFile = candidates.withColumn(SourceReader.SOURCE_FILE, SourceReader.sourceFile());
    return groups.select(renamed.toArray(new Column[0])).join(withFile, matches, "inner");
  }

  /**
   * Adds the reason orphan to rows whose session_id is not a valid session. The rows, fewer
   * than the sessions, are the hash join's build side.
   */
  private static Dataset<Row> withOrphans(Dataset<Row> rows, Dataset<Row> sessions) {
    Dataset<Row> known = sessions.select(col("session_id").as(SESSION_KEY));
    return rows.hint("shuffle_hash").join(known, col("session_id").equalTo(col(SESSION_KEY)), "left")
        .withColumn(Rules.REASON, when(col(SESSION_KEY).isNull(), lit(Reasons.ORPHAN)))
        .drop(SESSION_KEY);
  }

  private Dataset<Row> consultants() {
    Dataset<Row> parsed = prepare("consultants", Contracts.CONSULTANTS,
        Rules.consultantReason());
    Dataset<Row> kept = dropDuplicateKeys("consultants", parsed, "consultant_id", Contracts.CONSULTANTS,
        col("hired_at").desc_nulls_last())
        .withColumn("active", coalesce(col("active"), lit(true)))
        .select(contractColumns(Contracts.CONSULTANTS))
        .persist(StorageLevel.MEMORY_AND_DISK());
    ledger("consultants", kept, lit(QualityReport.VALID), lit(Reasons.VALID));
    return kept;
  }

  /**
   * Reads, maps and types one source and adds the reason rule's result. Returns the rows
   * inside the source's filter with the contract columns, the reason and the raw row. The rows
   * outside the filter are counted, not read on. Nothing is cached here,
   * so each use reads again only the columns it needs, and the raw rows of large sources stay
   * out of memory.
   */
  private Dataset<Row> prepare(String name, List<ContractColumn> contract, Column reasonRule) {
    SourceConfig source = config.sources().get(name);
    Dataset<Row> raw = SourceReader.readRaw(spark, source);
    Column inFilter = source.filter().isEmpty() ? lit(true) : coalesce(filterExpression(raw, source), lit(false));
    Dataset<Row> mapped = SourceReader.map(raw, source, sourcesOfInput(source), contract,
        inFilter.as(IN_FILTER));
    List<Column> columns = new ArrayList<>(List.of(contractColumns(contract)));
    columns.add(when(col(IN_FILTER), reasonRule).as(Rules.REASON));
    columns.add(col(IN_FILTER));
    columns.add(col(SourceReader.RAW));
    Dataset<Row> parsed = new FieldParser(source, config.minYear(), config.maxYear()).parse(mapped, contract)
        .select(columns.toArray(new Column[0]));
    LOG.debug("Source {}: reading {} as {}", name, source.path(), source.format());
    if (source.filter().isEmpty()) {
      return parsed.drop(IN_FILTER);
    }
    ledger(name, parsed.filter(col(IN_FILTER).equalTo(false)),
        lit(QualityReport.FILTERED), lit(Reasons.FILTERED_OUT));
    return parsed.filter(col(IN_FILTER)).drop(IN_FILTER);
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

  /**
   * Sends rows with a reason, checked after a duplicate check, to the quarantine and the
   * ledger and returns the others. The rows carry the contract columns and the reason only, so
   * the quarantine looks up the raw row of each rejected one among the candidates.
   */
  private Dataset<Row> recordRejected(String source, Dataset<Row> rows, Dataset<Row> candidates,
      List<ContractColumn> contract) {
    Dataset<Row> rejected = rows.filter(col(Rules.REASON).isNotNull());
    int branch = quarantineGroups(source, rejected, candidates, contract);
    ledger(source, rejected, lit(QualityReport.REJECTED), col(Rules.REASON), lit(1L), branch);
    return rows.filter(col(Rules.REASON).isNull()).drop(Rules.REASON);
  }

  /**
   * Adds the quarantine branch of rejected rows that carry the contract columns and the reason,
   * with the raw row of each looked up among the candidates, and returns its number.
   */
  private int quarantineGroups(String source, Dataset<Row> rejected, Dataset<Row> candidates,
      List<ContractColumn> contract) {
    Dataset<Row> withRaw = withFirstRawRow(rejected.select(contractColumns(contract, col(Rules.REASON))),
        candidates, contract);
    return quarantine(source, withRaw, col(Rules.REASON), col(RAW_TEXT));
  }

  /**
   * Counts and quarantines the rows with a reason, resolves the others that share a key
   * ({@link Deduplicator}), counts the dropped ones, quarantines the conflicting ones and
   * returns the kept rows with the contract columns.
   *
   * <p>One window over the contract columns and the reason does both checks, so the source is
   * read once when it has no rejected rows. Rejected rows are compared only with each other, so
   * they never make a valid row a duplicate. The raw rows of the rejected and the conflicting
   * rows, few in normal data, are read again for the quarantine only when the ledger counts
   * some.
   */
  private Dataset<Row> dropDuplicateKeys(String source, Dataset<Row> parsed, String key,
      List<ContractColumn> contract, Column... order) {
    return dropDuplicateKeys(source, parsed, key, contract, this::cacheUntilLedger, order);
  }

  /**
   * Like {@link #dropDuplicateKeys(String, Dataset, String, List, Column...)}, with
   * {@code keep} storing the marked rows that the ledger and the later steps read.
   */
  private Dataset<Row> dropDuplicateKeys(String source, Dataset<Row> parsed, String key,
      List<ContractColumn> contract, UnaryOperator<Dataset<Row>> keep, Column... order) {
    Column reason = col(Rules.REASON);
    int rejectedBranch = quarantineRejected(source, parsed);
    Dataset<Row> marked = keep.apply(Deduplicator.mark(parsed.select(contractColumns(contract, reason)), key,
        reason.isNull(), contract, order));
    ledger(source, marked.filter(reason.isNotNull()), lit(QualityReport.REJECTED), reason, lit(1L), rejectedBranch);

    Dataset<Row> checked = marked.filter(reason.isNull()).drop(Rules.REASON);
    Dataset<Row> candidates = withoutRejected(parsed);
    Column status = col(Deduplicator.STATUS);
    ledger(source, checked.filter(status.equalTo(Reasons.DUPLICATE)), lit(QualityReport.DUPLICATE), status);
    // Rows of equal content share their status, so each group here contains conflicting rows only.
    Dataset<Row> conflicting = checked.filter(status.equalTo(Reasons.CONFLICTING_DUPLICATE))
        .groupBy(contractColumns(contract))
        .agg(count(lit(1)).as(COPIES))
        .persist(StorageLevel.MEMORY_AND_DISK());
    int branch = quarantine(source, rawRowsOf(conflicting.drop(COPIES), candidates, contract),
        lit(Reasons.CONFLICTING_DUPLICATE), SourceReader.rawJson());
    ledger(source, conflicting, lit(QualityReport.DUPLICATE), lit(Reasons.CONFLICTING_DUPLICATE), col(COPIES),
        branch);
    return checked.filter(status.equalTo(Deduplicator.KEPT)).drop(Deduplicator.STATUS);
  }

  /** Caches rows until the ledger is counted, after which they are unpersisted. */
  private Dataset<Row> cacheUntilLedger(Dataset<Row> rows) {
    Dataset<Row> cached = rows.persist(StorageLevel.MEMORY_AND_DISK());
    ledgerOnly.add(cached);
    return cached;
  }

  /**
   * Adds the quarantine branch of the rows with a reason, their raw rows read again from the
   * source, and returns its number.
   */
  private int quarantineRejected(String source, Dataset<Row> parsed) {
    Column reason = col(Rules.REASON);
    return quarantine(source, parsed.filter(reason.isNotNull())
            .select(reason, SourceReader.rawJson().as(RAW_TEXT), SourceReader.sourceFile().as(SourceReader.SOURCE_FILE)),
        reason, col(RAW_TEXT));
  }

  /** Returns the parsed rows without a reason, the candidates of the later checks. */
  private static Dataset<Row> withoutRejected(Dataset<Row> parsed) {
    return parsed.filter(col(Rules.REASON).isNull()).drop(Rules.REASON);
  }

  private void ledger(String source, Dataset<Row> rows, Column category, Column reason) {
    ledger(source, rows, category, reason, lit(1L));
  }

  private void ledger(String source, Dataset<Row> rows, Column category, Column reason, Column rowsCounted) {
    ledger(source, rows, category, reason, rowsCounted, NO_BRANCH);
  }

  /**
   * Adds rows to the ledger, each counting as {@code rowsCounted} input rows. {@code branch}
   * is the quarantine branch that contains the same rows, or {@link #NO_BRANCH}.
   */
  private void ledger(String source, Dataset<Row> rows, Column category, Column reason, Column rowsCounted,
      int branch) {
    ledgers.add(rows.select(ledgerColumns(source, category, reason, rowsCounted, branch)));
  }

  /** Returns the columns of one ledger row, as {@link #ledger} adds them. */
  private static Column[] ledgerColumns(String source, Column category, Column reason, Column rowsCounted,
      int branch) {
    return new Column[] {lit(source).as("source"), category.as(CATEGORY), reason.as("reason"),
        rowsCounted.cast("long").as(COPIES), lit(branch).as(BRANCH)};
  }

  /** Returns one ledger row as a struct, for sources that build several ledger rows from one row. */
  private static Column ledgerEntry(String source, String category, Column reason, Column rowsCounted, int branch) {
    return struct(ledgerColumns(source, lit(category), reason, rowsCounted, branch));
  }

  /** Adds a branch of quarantine rows and returns its number for the ledger. */
  private int quarantine(String source, Dataset<Row> rows, Column reason, Column rawRow) {
    quarantines.add(rows.select(
        lit(source).as("source"),
        reason.as("reason"),
        col(SourceReader.SOURCE_FILE).as("source_file"),
        rawRow.as("raw_row")));
    return quarantines.size() - 1;
  }

  /**
   * Counts the ledger in one Spark job and returns the report and the numbers of the quarantine
   * branches that have rows.
   */
  private Counted countLedger() {
    Dataset<Row> all = ledgers.stream().reduce(Dataset::unionByName).orElseThrow();
    Map<List<String>, Long> rows = new LinkedHashMap<>();
    Set<Integer> branches = new HashSet<>();
    for (Row row : all.groupBy(col("source"), col(CATEGORY), col("reason"), col(BRANCH)).agg(sum(COPIES))
        .collectAsList()) {
      rows.merge(List.of(row.getString(0), row.getString(1), row.getString(2)), row.getLong(4), Long::sum);
      if (row.getInt(3) != NO_BRANCH && row.getLong(4) > 0) {
        branches.add(row.getInt(3));
      }
    }
    List<QualityReport.Entry> counted = new ArrayList<>();
    rows.forEach((key, count) -> counted.add(new QualityReport.Entry(key.get(0), key.get(1), key.get(2), count)));
    return new Counted(QualityReport.withTotals(counted), branches);
  }

  private record Counted(QualityReport quality, Set<Integer> quarantineBranches) {}

  /**
   * Returns the quarantine rows of the branches that have rows. The others are left out, so
   * the quarantine does not look up raw rows in a large source where the ledger counted none.
   */
  private Dataset<Row> quarantineOf(Set<Integer> branches) {
    Dataset<Row> rows = quarantines.get(0).filter(lit(false));
    for (int branch = 0; branch < quarantines.size(); branch++) {
      if (branches.contains(branch)) {
        rows = rows.unionByName(quarantines.get(branch));
      }
    }
    return rows;
  }

  private static Column[] contractColumns(List<ContractColumn> contract, Column... extra) {
    List<Column> columns = new ArrayList<>();
    contract.forEach(c -> columns.add(col(c.name())));
    columns.addAll(List.of(extra));
    return columns.toArray(new Column[0]);
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
