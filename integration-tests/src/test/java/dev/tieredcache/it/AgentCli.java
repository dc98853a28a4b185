package dev.tieredcache.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line of the built agent jar, run as users run it: {@code <jdk>/bin/java -jar tiered-cache-agent.jar
 * <command> ...} in a process of its own, on a {@link TestJdk} (a JDK, so the attach API is there).
 */
public final class AgentCli {

  /** The longest a command may run: attaching to a JVM that does not answer takes the attach API's 10 s. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final TestJdk jdk;
  private final Path workDir;
  private final List<String> jvmOptions = new ArrayList<>();
  private final Map<String, String> environment = new LinkedHashMap<>();

  private AgentCli(TestJdk jdk, Path workDir) {
    this.jdk = jdk;
    this.workDir = workDir;
  }

  /** The command line on {@code jdk}, run in {@code workDir}; skips or fails the test when the JDK is missing. */
  public static AgentCli on(TestJdk jdk, Path workDir) {
    jdk.requireInstalled();
    return new AgentCli(jdk, workDir);
  }

  /** The agent jar the commands run from. */
  public static Path jar() {
    return AgentJar.path();
  }

  /** Adds an option of the command's own JVM, such as {@code --limit-modules java.se}. */
  public AgentCli jvmOption(String... option) {
    Collections.addAll(jvmOptions, option);
    return this;
  }

  /** Sets an environment variable of the command, for {@code ${VAR}} in a rules file it reads. */
  public AgentCli environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Runs {@code java -jar <agent jar> <args>} to its end; its lines are in the returned run. */
  public ForkedRun run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(jdk.javaLauncher().toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(AgentJar.path().toString());
    Collections.addAll(command, args);
    long started = System.nanoTime();
    Process process = ForkedJvm.start(command, workDir, environment);
    List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    Thread outDrain = ForkedJvm.drain(process.getInputStream(), stdout, "cli-stdout");
    Thread errDrain = ForkedJvm.drain(process.getErrorStream(), stderr, "cli-stderr");
    try {
      process.getOutputStream().close();
      boolean exited = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      outDrain.join(10_000);
      errDrain.join(10_000);
      ForkedRun run = new ForkedRun(jdk, command, exited ? process.exitValue() : -1, ForkedJvm.copy(stdout),
          ForkedJvm.copy(stderr), Duration.ofNanos(System.nanoTime() - started));
      if (!exited) {
        fail("the command did not end within " + TIMEOUT.toSeconds() + " s and was killed\n" + run.describe());
      }
      return run;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the command", e);
    }
  }
}
