package org.consultscore.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.consultscore.config.AppConfig;
import org.consultscore.config.RunContext;
import org.consultscore.config.Scratch;

/**
 * The metrics stage: session facts of the run's periods, the metrics per consultant and the
 * same metrics per team and business line.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * The validated sources the stage reads; every one but sessions is null when not configured.
   * Outcomes carry the session they are attributed to in session_id.
   */
  public record Inputs(Dataset<Row> sessions, Dataset<Row> surveys, Dataset<Row> messages,
      Dataset<Row> qaAudits, Dataset<Row> reviews, Dataset<Row> outcomes, Dataset<Row> workTime) {

    /** Inputs with sessions and surveys only. */
    public static Inputs of(Dataset<Row> sessions, Dataset<Row> surveys) {
      return new Inputs(sessions, surveys, null, null, null, null, null);
    }

    Set<String> presentSources() {
      Set<String> present = new LinkedHashSet<>();
      present.add("sessions");
      addIf(present, "surveys", surveys);
      addIf(present, "messages", messages);
      addIf(present, "qa_audits", qaAudits);
      addIf(present, "reviews", reviews);
      addIf(present, "outcomes", outcomes);
      addIf(present, "work_time", workTime);
      return present;
    }

    private static void addIf(Set<String> present, String name, Dataset<Row> source) {
      if (source != null) {
        present.add(name);
      }
    }
  }

  /**
   * Output of the stage. session_facts identifies customers only by their keyed pseudonym;
   * group_metrics has group_type team or business_line and the group's id in group_id.
   */
  public record Result(Dataset<Row> sessionFacts, Dataset<Row> consultantMetrics, Dataset<Row> groupMetrics) {}

  public static Result run(Dataset<Row> sessions, Dataset<Row> surveys, AppConfig config, RunContext run) {
    return run(Inputs.of(sessions, surveys), config, run);
  }

  /** Runs the stage with its intermediate results kept as local checkpoints. */
  public static Result run(Inputs inputs, AppConfig config, RunContext run) {
    return run(inputs, config, run, Scratch.inMemory(inputs.sessions().sparkSession()));
  }

  /**
   * Runs the stage. The session facts are kept in the scratch, whose folder must stay in place
   * until the result's datasets have been read.
   */
  public static Result run(Inputs inputs, AppConfig config, RunContext run, Scratch scratch) {
    // The facts are written once and read back, and the other results are local checkpoints:
    // both cut the lineage of the ingest and window plans. Without that the plans of the later
    // stages, which embed these, grow so large that printing them for Spark's adaptive
    // execution exhausted a 4 GB driver heap on the sample data. The facts are scanned about
    // fifteen times, and a Parquet scan reads only the columns each aggregation uses.
    Dataset<Row> facts = scratch.materialize("session_facts",
        SessionFacts.build(inputs, config, run).drop("customer_id"));
    Dataset<Row> turnCounts = inputs.messages() == null ? null
        : ReplyTurns.countsByGroup(ReplyTurns.of(inputs.messages()), facts).localCheckpoint();
    Dataset<Row> reviews = PersonFacts.reviews(inputs.reviews(), run);
    Dataset<Row> work = PersonFacts.workTime(inputs.workTime(), run);
    Set<String> present = inputs.presentSources();

    Dataset<Row> consultants = ConsultantMetrics.aggregate(facts, turnCounts, reviews, work,
        config.satisfiedThreshold(), config.reviewWeights(), present)
        .localCheckpoint();
    Dataset<Row> groups = GroupMetrics.aggregate(facts, turnCounts, reviews, work, consultants,
        config.satisfiedThreshold(), config.reviewWeights(), present)
        .localCheckpoint();
    return new Result(facts, consultants, groups);
  }
}
