package org.consultscore.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The retry of a Delta commit that conflicts with a concurrent run. */
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
}
