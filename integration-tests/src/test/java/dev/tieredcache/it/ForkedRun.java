package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a forked JVM did: its exit status and every line it printed. Sample apps report their observations as
 * {@code RESULT name=value} lines on stdout, read with {@link #result}; the agent's own lines on stderr start with
 * {@code [tiered-cache] } and a level.
 */
public final class ForkedRun {

  /** The prefix of every line the agent writes to stderr. */
  public static final String AGENT_PREFIX = "[tiered-cache] ";
  private static final String RESULT_PREFIX = "RESULT ";

  private final TestJdk jdk;
  private final List<String> command;
  private final int exitCode;
  private final List<String> stdout;
  private final List<String> stderr;
  private final Duration elapsed;

  ForkedRun(TestJdk jdk, List<String> command, int exitCode, List<String> stdout, List<String> stderr,
      Duration elapsed) {
    this.jdk = jdk;
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
    this.elapsed = elapsed;
  }

  public int exitCode() {
    return exitCode;
  }

  public List<String> stdout() {
    return stdout;
  }

  public List<String> stderr() {
    return stderr;
  }

  /** The agent's stderr lines of {@code level} (ERROR, WARN, INFO, DEBUG). */
  public List<String> agentLines(String level) {
    String prefix = AGENT_PREFIX + level + " ";
    List<String> lines = new ArrayList<>();
    for (String line : stderr) {
      if (line.startsWith(prefix)) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** Whether the app reported a result of this name. */
  public boolean hasResult(String name) {
    return lastResult(name) != null;
  }

  /** The value of the app's last {@code RESULT name=...} line; fails, with the whole output, when there is none. */
  public String result(String name) {
    String value = lastResult(name);
    if (value == null) {
      fail("the app reported no RESULT " + name + "\n" + describe());
    }
    return value;
  }

  /** {@link #result} as a number. */
  public long longResult(String name) {
    return Long.parseLong(result(name));
  }

  /** The value of the app's last {@code RESULT name=...} line, or null when there is none. */
  String lastResult(String name) {
    String prefix = RESULT_PREFIX + name + "=";
    String value = null;
    for (String line : stdout) {
      if (line.startsWith(prefix)) {
        value = line.substring(prefix.length());
      }
    }
    return value;
  }

  /**
   * The check every scenario with a healthy agent makes: the JVM exited with 0, no class failed to transform, and
   * the agent logged no error.
   */
  public ForkedRun assertHealthyAgent() {
    assertThat(exitCode).as(context("exit status of the forked JVM")).isZero();
    assertNoTransformationError();
    assertThat(stderr).as(context("agent ERROR lines on stderr"))
        .noneMatch(line -> line.contains(AGENT_PREFIX + "ERROR"));
    return this;
  }

  /** No class the agent tried to instrument failed; also holds for a run that is expected to log other errors. */
  public ForkedRun assertNoTransformationError() {
    assertThat(stderr).as(context("stderr lines reporting a transformation error"))
        .noneMatch(line -> line.contains("transformation error"));
    return this;
  }

  /** A description for an assertion about this run: the subject followed by the whole run, printed on failure. */
  public Supplier<String> context(String subject) {
    return () -> subject + "\n" + describe();
  }

  /** The command, exit status, duration and every output line; what a failing test prints. */
  public String describe() {
    StringBuilder sb = new StringBuilder(4096);
    sb.append("--- forked JVM on ").append(jdk).append(", exit ").append(exitCode).append(" after ")
        .append(elapsed.toMillis()).append(" ms\n$ ").append(String.join(" ", command)).append('\n');
    sb.append("--- stdout (").append(stdout.size()).append(" lines)\n");
    for (String line : stdout) {
      sb.append(line).append('\n');
    }
    sb.append("--- stderr (").append(stderr.size()).append(" lines)\n");
    for (String line : stderr) {
      sb.append(line).append('\n');
    }
    return sb.append("---").toString();
  }
}
