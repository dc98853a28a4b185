package dev.tieredcache.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A sample app running in a forked JVM that the test acts on while it runs (attaching the agent to it, reading its
 * statistics) and asks what it did. The test sends it commands, one line each on its standard input; the app
 * answers each with {@code RESULT} lines and then {@code RESULT answered=<n>}, its count of commands answered.
 * {@link #close()} kills a JVM that is still running, so a failed test leaves none behind.
 *
 * <pre>{@code
 * try (LiveJvm app = ForkedJvm.on(jdk, dir).withoutAgent().start(LiveCatalogApp.class)) {
 *   app.command("report");
 *   long upstream = app.longResult("priceUpstream");
 * }
 * }</pre>
 */
public final class LiveJvm implements AutoCloseable {

  /** The longest an answer to a command may take. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);

  private final TestJdk jdk;
  private final List<String> command;
  private final Process process;
  private final List<String> stdout;
  private final List<String> stderr;
  private final Thread outDrain;
  private final Thread errDrain;
  private final long startedNanos;
  private final Writer stdin;
  private int commandsSent;

  LiveJvm(TestJdk jdk, List<String> command, Process process, List<String> stdout, List<String> stderr,
      Thread outDrain, Thread errDrain, long startedNanos) {
    this.jdk = jdk;
    this.command = command;
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.outDrain = outDrain;
    this.errDrain = errDrain;
    this.startedNanos = startedNanos;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  public long pid() {
    return process.pid();
  }

  /** Sends {@code line} and waits for the app's answer; fails the test, with the whole output, if none comes. */
  public LiveJvm command(String line) {
    try {
      stdin.write(line + "\n");
      stdin.flush();
    } catch (IOException e) {
      fail("cannot send '" + line + "' to the app: " + e + "\n" + describe());
    }
    commandsSent++;
    String expected = String.valueOf(commandsSent);
    long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    while (!expected.equals(snapshot().lastResult("answered"))) {
      if (!process.isAlive()) {
        fail("the app ended instead of answering '" + line + "'\n" + describe());
      }
      if (System.nanoTime() - deadline > 0) {
        fail("the app did not answer '" + line + "' within " + ANSWER_TIMEOUT.toSeconds() + " s\n" + describe());
      }
      pause(5);
    }
    return this;
  }

  /** The value of the app's last {@code RESULT name=...} line so far. */
  public String result(String name) {
    return snapshot().result(name);
  }

  /** {@link #result} as a number. */
  public long longResult(String name) {
    return Long.parseLong(result(name));
  }

  /** Everything the JVM printed so far, as a run that has not ended (exit status -1). */
  public ForkedRun snapshot() {
    return new ForkedRun(jdk, command, process.isAlive() ? -1 : process.exitValue(), ForkedJvm.copy(stdout),
        ForkedJvm.copy(stderr), Duration.ofNanos(System.nanoTime() - startedNanos));
  }

  /** A description for an assertion: the subject followed by everything printed so far. */
  public Supplier<String> context(String subject) {
    return () -> subject + "\n" + describe();
  }

  /** Sends {@code exit}, waits for the JVM to end, and returns what it did. */
  public ForkedRun stop() {
    try {
      stdin.write("exit\n");
      stdin.close();
    } catch (IOException ended) {
      // it has ended already; what it printed is still read below
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("the app did not exit within 10 s of 'exit'\n" + describe());
      }
      outDrain.join(10_000);
      errDrain.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return snapshot();
  }

  /** Kills the JVM if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }

  private String describe() {
    return snapshot().describe();
  }

  /** Sleeps, for tests that let the app run a while. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
