package org.consultscore;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Helpers that capture what a test's code prints to System.out or System.err. */
public final class CapturedOutput {
  private CapturedOutput() {}

  /** Runs {@code body} with System.out redirected and returns what it printed, as UTF-8. */
  public static String stdout(Runnable body) {
    return capture(body, System.out, System::setOut);
  }

  /** Runs {@code body} with System.err redirected and returns what it printed, as UTF-8. */
  public static String stderr(Runnable body) {
    return capture(body, System.err, System::setErr);
  }

  private static String capture(Runnable body, PrintStream original, Consumer<PrintStream> redirect) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    redirect.accept(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      redirect.accept(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
