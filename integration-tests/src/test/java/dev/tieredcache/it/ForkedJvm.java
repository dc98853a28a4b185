package dev.tieredcache.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Launches a sample host application in its own JVM with the built agent jar:
 * {@code java -javaagent:<jar>=<rules.yaml> -cp <test classes> <main> <args>}. The rules file is written to the
 * test's temporary directory; stdout and stderr are read to the end on their own threads; a JVM that runs longer
 * than {@link #HARD_TIMEOUT} is killed and the test fails with everything it printed.
 *
 * <pre>{@code
 * ForkedRun run = ForkedJvm.on(jdk, tempDir)
 *     .rules("rules:", "  - name: price", "    method: com.acme.Catalog#price(..)")
 *     .run(HitAfterLoadApp.class);
 * }</pre>
 */
public final class ForkedJvm {

  /** The longest a forked JVM may run; every scenario needs a few seconds at most. */
  static final Duration HARD_TIMEOUT = Duration.ofSeconds(60);

  private final TestJdk jdk;
  private final Path workDir;
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private Path rulesFile;
  private Path secondRulesFile;
  private boolean withoutAgent;
  private String otherAgent;
  private AgentOrder otherAgentOrder;
  private Duration timeout = HARD_TIMEOUT;

  private ForkedJvm(TestJdk jdk, Path workDir) {
    this.jdk = jdk;
    this.workDir = workDir;
  }

  /**
   * A launcher for {@code jdk}, writing its files to {@code workDir} (a {@code @TempDir}). Skips the test, or fails
   * it on CI, when the JDK is not installed.
   */
  public static ForkedJvm on(TestJdk jdk, Path workDir) {
    jdk.requireInstalled();
    return new ForkedJvm(jdk, workDir);
  }

  /** Writes the rules file, one YAML line per argument, and passes it as the agent argument. */
  public ForkedJvm rules(String... lines) {
    rulesFile = write("rules.yaml", lines);
    return this;
  }

  /** Writes another rules file into the working directory, for the test to attach or to change a watched file. */
  public Path writeRules(String fileName, String... lines) {
    return write(fileName, lines);
  }

  private Path write(String fileName, String... lines) {
    Path file = workDir.resolve(fileName);
    try {
      Files.write(file, List.of(lines), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * Gives the agent jar a second time, with a second {@code -javaagent} right after the first, whose argument is a
   * second rules file ({@code rules-second.yaml}) with these lines.
   */
  public ForkedJvm secondAgentRules(String... lines) {
    secondRulesFile = write("rules-second.yaml", lines);
    return this;
  }

  /** The rules file as the agent gets it (an absolute path); {@link #rules} must have been called. */
  public Path rulesFile() {
    if (rulesFile == null) {
      throw new IllegalStateException("no rules written yet");
    }
    return rulesFile;
  }

  /** Adds {@code -Dname=value} to the forked JVM's command line. */
  public ForkedJvm systemProperty(String name, String value) {
    systemProperties.put(name, value);
    return this;
  }

  /** Sets an environment variable of the forked JVM, for {@code ${VAR}} in the rules file. */
  public ForkedJvm environment(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Adds a JVM option, such as {@code -Xmx512m}, to the forked JVM's command line, before the agent. */
  public ForkedJvm jvmOption(String option) {
    jvmOptions.add(option);
    return this;
  }

  /**
   * Loads another Java agent beside this one, its {@code -javaagent} before or after this agent's: {@code agent} is
   * what follows {@code -javaagent:}, the jar and its options.
   */
  public ForkedJvm otherAgent(String agent, AgentOrder order) {
    otherAgent = agent;
    otherAgentOrder = order;
    return this;
  }

  /**
   * Starts the JVM without the agent, for scenarios that attach it later; {@link #rules} then only writes the file,
   * which the test hands to the command line.
   */
  public ForkedJvm withoutAgent() {
    withoutAgent = true;
    return this;
  }

  /**
   * Lets the JVM run up to {@code limit} before it is killed, instead of {@link #HARD_TIMEOUT}: for applications such
   * as Spring Boot whose start alone takes many seconds on a loaded machine.
   */
  public ForkedJvm timeout(Duration limit) {
    timeout = limit;
    return this;
  }

  /** Runs {@code mainClass} (a sample app from the test classes) to its end and returns what it did. */
  public ForkedRun run(Class<?> mainClass, String... args) {
    List<String> target = new ArrayList<>(List.of("-cp", classPathOf(mainClass).toString(), mainClass.getName()));
    Collections.addAll(target, args);
    return run(command(target));
  }

  /** Runs an executable jar ({@code java ... -jar jar args}), such as a Spring Boot fat jar, to its end. */
  public ForkedRun runJar(Path jar, String... args) {
    List<String> target = new ArrayList<>(List.of("-jar", jar.toString()));
    Collections.addAll(target, args);
    return run(command(target));
  }

  private ForkedRun run(List<String> command) {
    long started = System.nanoTime();
    Process process = start(command, workDir, environment);
    List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    Thread outDrain = drain(process.getInputStream(), stdout, "stdout");
    Thread errDrain = drain(process.getErrorStream(), stderr, "stderr");
    try {
      process.getOutputStream().close();
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      outDrain.join(10_000);
      errDrain.join(10_000);
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      ForkedRun run = new ForkedRun(jdk, command, exited ? process.exitValue() : -1, copy(stdout), copy(stderr),
          elapsed);
      if (!exited) {
        fail("the forked JVM did not exit within " + timeout.toSeconds() + "s and was killed (a non-daemon"
            + " thread left running, or a hang)\n" + run.describe());
      }
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the forked JVM", e);
    }
  }

  /**
   * Starts {@code mainClass} and returns at once, with its standard input open and its output readable while it
   * runs: for scenarios that act on the running JVM (attach the agent, read its statistics) and ask it what it did.
   */
  public LiveJvm start(Class<?> mainClass, String... args) {
    List<String> target = new ArrayList<>(List.of("-cp", classPathOf(mainClass).toString(), mainClass.getName()));
    Collections.addAll(target, args);
    return startLive(command(target));
  }

  private LiveJvm startLive(List<String> command) {
    long started = System.nanoTime();
    Process process = start(command, workDir, environment);
    List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    Thread outDrain = drain(process.getInputStream(), stdout, "stdout");
    Thread errDrain = drain(process.getErrorStream(), stderr, "stderr");
    return new LiveJvm(jdk, command, process, stdout, stderr, outDrain, errDrain, started);
  }

  /**
   * Starts an executable jar ({@code java ... -jar jar args}) and returns at once, like {@link #start}: for a Spring
   * Boot fat jar that serves HTTP until the test is done with it.
   */
  public LiveJvm startJar(Path jar, String... args) {
    List<String> target = new ArrayList<>(List.of("-jar", jar.toString()));
    Collections.addAll(target, args);
    return startLive(command(target));
  }

  /**
   * The launcher, the JVM options, the agents (another agent before or after this one's) and the system properties,
   * then {@code target} (class path or jar).
   */
  private List<String> command(List<String> target) {
    List<String> command = new ArrayList<>();
    command.add(jdk.javaLauncher().toString());
    command.addAll(jvmOptions);
    if (otherAgentOrder == AgentOrder.OTHER_AGENT_FIRST) {
      command.add("-javaagent:" + otherAgent);
    }
    if (!withoutAgent) {
      command.add("-javaagent:" + AgentJar.path() + "=" + rulesFile());
    }
    if (secondRulesFile != null) {
      command.add("-javaagent:" + AgentJar.path() + "=" + secondRulesFile);
    }
    if (otherAgentOrder == AgentOrder.TIERED_CACHE_FIRST) {
      command.add("-javaagent:" + otherAgent);
    }
    for (Map.Entry<String, String> p : systemProperties.entrySet()) {
      command.add("-D" + p.getKey() + "=" + p.getValue());
    }
    command.addAll(target);
    return command;
  }

  /**
   * Starts {@code command} in {@code workDir} with none of the test's own settings that change what a JVM does, and
   * {@code environment} added.
   */
  static Process start(List<String> command, Path workDir, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().putAll(environment);
    builder.environment().remove("TIERED_CACHE_RULES");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().remove("_JAVA_OPTIONS");
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /**
   * Starts {@link #run} on a daemon thread of its own and returns at once, for scenarios that run several JVMs at
   * the same time or act on Redis while a JVM runs. The future completes with the run, or exceptionally with the
   * assertion {@link #run} fails with.
   */
  public CompletableFuture<ForkedRun> runInBackground(Class<?> mainClass, String... args) {
    CompletableFuture<ForkedRun> result = new CompletableFuture<>();
    Thread runner = new Thread(() -> {
      try {
        result.complete(run(mainClass, args));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "forked-jvm-" + mainClass.getSimpleName());
    runner.setDaemon(true);
    runner.start();
    return result;
  }

  private static Path classPathOf(Class<?> mainClass) {
    try {
      return Path.of(mainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Thread drain(InputStream stream, List<String> into, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          into.add(line);
        }
      } catch (IOException closed) {
        // the process was killed; what was read so far is kept
      }
    }, "forked-jvm-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static List<String> copy(List<String> synchronizedLines) {
    synchronized (synchronizedLines) {
      return List.copyOf(synchronizedLines);
    }
  }
}
