package dev.tieredcache.it.redis;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A sample app running in a forked JVM while the test acts on Redis: the test waits for the app's signals and then
 * for its end. A JVM that ends before raising a signal fails the test at once, with everything it printed. Closing
 * it raises the signals that let the app run to its end, so a failed test leaves no JVM waiting behind it.
 */
public final class RunningApp implements AutoCloseable {

  private final String name;
  private final CompletableFuture<ForkedRun> run;
  private final SignalFiles signals;
  private final String[] endSignals;

  /**
   * @param endSignals every signal the app may still be waiting for, raised by {@link #close()} when it has not
   *     ended
   */
  public RunningApp(String name, CompletableFuture<ForkedRun> run, SignalFiles signals, String... endSignals) {
    this.name = name;
    this.run = run;
    this.signals = signals;
    this.endSignals = endSignals.clone();
  }

  /** Waits until the app has raised {@code signal}. */
  public void awaitSignal(String signal, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!signals.isRaised(signal)) {
      if (run.isDone()) {
        fail(name + " ended without raising " + signal + "\n" + describe());
      }
      if (System.nanoTime() - deadline > 0) {
        fail(name + " did not raise " + signal + " within " + timeout.toMillis() + " ms");
      }
      sleep(5);
    }
  }

  /** Fails the test, with everything the app printed, if it has ended while the test waited for {@code what}. */
  public void requireRunning(String what) {
    if (run.isDone()) {
      fail(name + " ended while the test waited for " + what + "\n" + describe());
    }
  }

  /** The finished run; waits for it up to {@code timeout}. */
  public ForkedRun finish(Duration timeout) {
    try {
      return run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw new IllegalStateException(name + " could not be run", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(name + " did not end within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Raises the end signals unless the app has ended; does not wait for it. */
  @Override
  public void close() {
    if (!run.isDone()) {
      for (String signal : endSignals) {
        signals.raise(signal);
      }
    }
  }

  private String describe() {
    try {
      return run.get().describe();
    } catch (InterruptedException | ExecutionException e) {
      return "(no output: " + e + ")";
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
