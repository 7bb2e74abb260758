package org.consultscore.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retry of a Delta commit that conflicts with a concurrent run, and tables written side by side. */
class PublisherRetryTest {
  @Test
  void conflictIsRetriedUntilCommit() {
    AtomicInteger attempts = new AtomicInteger();
    Publisher.commitWithRetry("consultant_scores", "test", () -> {
      if (attempts.incrementAndGet() < 3) {
        throw new io.delta.exceptions.ConcurrentAppendException("files were added by a concurrent update");
      }
    });
    assertEquals(3, attempts.get(), "two conflicts, then the commit");
  }

  @Test
  void wrappedConflictCounts() {
    RuntimeException wrapped = new IllegalStateException("write failed",
        new io.delta.exceptions.ConcurrentDeleteReadException("a concurrent update deleted files"));
    assertTrue(Publisher.isCommitConflict(wrapped));
  }

  @Test
  void otherErrorIsNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    IllegalArgumentException error = new IllegalArgumentException("bad schema");
    RuntimeException raised = assertThrows(RuntimeException.class,
        () -> Publisher.commitWithRetry("consultant_scores", "test", () -> {
          attempts.incrementAndGet();
          throw error;
        }));
    assertSame(error, raised);
    assertEquals(1, attempts.get(), "no retry");
  }

  @Test
  void parallelWritesKeepTableOrder() {
    Map<String, Supplier<Long>> writes = new LinkedHashMap<>();
    for (int table = 0; table < 9; table++) {
      long rows = table * 10L;
      writes.put("table_" + table, () -> rows);
    }
    Map<String, Long> written = Publisher.runAll(writes);
    assertEquals(List.copyOf(writes.keySet()), List.copyOf(written.keySet()), "table order");
    assertEquals(80L, written.get("table_8"), "rows of table_8");
  }

  @Test
  void failedWriteRaisesFirstError() {
    IllegalStateException first = new IllegalStateException("table_1 failed");
    AtomicInteger finished = new AtomicInteger();
    Map<String, Supplier<Long>> writes = new LinkedHashMap<>();
    writes.put("table_0", () -> {
      finished.incrementAndGet();
      return 1L;
    });
    writes.put("table_1", () -> {
      throw first;
    });
    writes.put("table_2", () -> {
      throw new IllegalArgumentException("table_2 failed");
    });
    writes.put("table_3", () -> {
      finished.incrementAndGet();
      return 1L;
    });
    RuntimeException raised = assertThrows(RuntimeException.class, () -> Publisher.runAll(writes));
    assertSame(first, raised, "the error of the first failed table, unchanged");
    assertEquals(2, finished.get(), "the other writes still ran");
  }
}
