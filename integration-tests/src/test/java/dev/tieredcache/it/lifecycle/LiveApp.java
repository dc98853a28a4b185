package dev.tieredcache.it.lifecycle;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.AgentCli;
import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.apps.LiveRulesApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link LiveRulesApp} running in a forked JVM, which the test attaches the agent to, replaces its rules in, and
 * detaches it from with the command line ({@code java -jar tiered-cache-agent.jar attach|detach}), while it reads
 * the app's status file.
 */
final class LiveApp implements AutoCloseable {

  private final TestJdk jdk;
  private final Path dir;
  private final CompletableFuture<ForkedRun> run;

  private LiveApp(TestJdk jdk, Path dir, CompletableFuture<ForkedRun> run) {
    this.jdk = jdk;
    this.dir = dir;
    this.run = run;
  }

  /** Runs the app in {@code jvm} (of {@code jdk}, working in {@code dir}); the command line runs on that JDK. */
  static LiveApp start(TestJdk jdk, ForkedJvm jvm, Path dir) {
    LiveApp app = new LiveApp(jdk, dir, jvm.runInBackground(LiveRulesApp.class));
    app.awaitStatus("the app to run", s -> s.calls() > 0);
    return app;
  }

  /** {@code java -jar tiered-cache-agent.jar attach <pid> <rules>}, which must succeed. */
  void attach(Path rules) {
    cli("attach", rules.toAbsolutePath().toString());
  }

  /** {@code java -jar tiered-cache-agent.jar detach <pid>}, which must succeed. */
  void detach() {
    cli("detach");
  }

  private void cli(String command, String... args) {
    String[] words = new String[args.length + 2];
    words[0] = command;
    words[1] = String.valueOf(status().pid());
    System.arraycopy(args, 0, words, 2, args.length);
    ForkedRun done = AgentCli.on(jdk, dir).run(words);
    if (done.exitCode() != 0) {
      fail(command + " exited " + done.exitCode() + "\n" + done.describe());
    }
  }

  /** The app's latest status. */
  Status status() {
    try {
      Path file = dir.resolve("status.txt");
      if (!Files.exists(file)) {
        return Status.NONE;
      }
      return Status.parse(Files.readString(file));
    } catch (IOException e) {
      return Status.NONE;
    }
  }

  /** Waits (up to 10 s) until the status satisfies {@code condition}. */
  Status awaitStatus(String what, Predicate<Status> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      Status s = status();
      if (condition.test(s)) {
        return s;
      }
      if (run.isDone()) {
        fail("the app ended while the test waited for " + what + "\n" + finish().describe());
      }
      if (System.nanoTime() > deadline) {
        fail("waited 10 s for " + what + "; last status: " + s);
      }
      sleep(10);
    }
  }

  /** True if the app's database was not called during {@code millis} of calls (after a settling pause). */
  long upstreamGrowthOver(long millis) {
    long before = status().upstream();
    long callsBefore = status().calls();
    sleep(millis);
    Status after = status();
    if (after.calls() - callsBefore < 20) {
      fail("the app made only " + (after.calls() - callsBefore) + " calls in " + millis + " ms: " + after);
    }
    return after.upstream() - before;
  }

  /** Stops the app and returns its run. */
  ForkedRun finish() {
    try {
      Files.write(dir.resolve("stop"), new byte[0]);
      return run.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the app did not end", e);
    }
  }

  @Override
  public void close() {
    try {
      Files.write(dir.resolve("stop"), new byte[0]);
    } catch (IOException ignored) {
      // the test's directory is gone; the app ends after 50 s on its own
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One line of the app's status file. */
  static final class Status {
    static final Status NONE = new Status(Map.of());

    private final Map<String, String> fields;

    private Status(Map<String, String> fields) {
      this.fields = fields;
    }

    static Status parse(String line) {
      Map<String, String> fields = new HashMap<>();
      for (String part : line.trim().split(" ")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
      return new Status(fields);
    }

    long pid() {
      return number("pid");
    }

    long calls() {
      return number("calls");
    }

    long upstream() {
      return number("upstream");
    }

    long errors() {
      return number("errors");
    }

    String agentThreads() {
      return fields.getOrDefault("threads", "");
    }

    private long number(String name) {
      String v = fields.get(name);
      return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
    }

    @Override
    public String toString() {
      return fields.toString();
    }
  }
}
