package dev.tieredcache.it.backplane;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waits of the tests that run several JVMs at once: each fails at once, with its output, if a JVM ended early. */
final class JvmWaits {

  /** The longest a test waits for one step of its JVMs. */
  static final Duration PHASE = Duration.ofSeconds(30);

  private JvmWaits() {}

  static void awaitSignal(SignalFiles signals, String signal, List<CompletableFuture<ForkedRun>> runs) {
    await("signal " + signal, runs, () -> signals.isRaised(signal));
  }

  /** Polls {@code condition} for up to {@link #PHASE}. */
  static void await(String what, List<CompletableFuture<ForkedRun>> runs, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PHASE.toNanos();
    while (!condition.getAsBoolean()) {
      for (CompletableFuture<ForkedRun> run : runs) {
        if (run.isDone()) {
          fail("a JVM ended while the test waited for " + what + "\n" + describe(run));
        }
      }
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + PHASE.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static String describe(CompletableFuture<ForkedRun> run) {
    try {
      return run.get(10, TimeUnit.SECONDS).describe();
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      return "(no output: " + e + ")";
    }
  }
}
