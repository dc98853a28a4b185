package dev.tieredcache.benchmarks.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The load run, one command from the repository root (after {@code mvn -B -q install -DskipTests}):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tieredcache.benchmarks.load.LoadDriver
 * </pre>
 *
 * Starts a redis-server of its own on a free port, then a JVM with the agent jar and benchmarks/load-rules.yaml that
 * runs {@link LoadApp}, and waits for its table. {@code -Dload.all=4s} makes every phase 4 s (a smoke run);
 * {@code -Dload.out=file} writes the table to a file too; {@code -Dload.agent}, {@code -Dload.rules} and
 * {@code -Dload.java} name another agent jar, rules file or java launcher.
 */
public final class LoadDriver {

  private LoadDriver() {}

  public static void main(String[] args) throws Exception {
    Path agent = Path.of(System.getProperty("load.agent", "agent/target/tiered-cache-agent.jar")).toAbsolutePath();
    Path rules = Path.of(System.getProperty("load.rules", "benchmarks/load-rules.yaml")).toAbsolutePath();
    for (Path needed : List.of(agent, rules)) {
      if (!Files.isRegularFile(needed)) {
        System.err.println("LoadDriver: " + needed + " not found; run from the repository root after"
            + " 'mvn -B -q install -DskipTests', or name it with -Dload.agent / -Dload.rules");
        System.exit(2);
      }
    }
    String java = System.getProperty("load.java",
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String classPath = Path.of(LoadDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    LoadOptions options = LoadOptions.fromSystemProperties();
    int port = freePort();
    Process redis = new ProcessBuilder(options.redisServer, "--port", Integer.toString(port), "--save", "",
        "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int exit;
    try {
      waitForRedis(port);
      List<String> command = new ArrayList<>();
      command.add(java);
      command.add("-Xmx1g");
      command.add("-javaagent:" + agent + "=" + rules);
      command.addAll(LoadOptions.asJvmArguments());
      command.add("-cp");
      command.add(classPath);
      command.add(LoadApp.class.getName());
      command.add(Long.toString(redis.pid()));
      command.add(Integer.toString(port));
      ProcessBuilder run = new ProcessBuilder(command).inheritIO();
      run.environment().put("LOAD_REDIS_PORT", Integer.toString(port));
      exit = run.start().waitFor();
    } finally {
      if (redis.isAlive()) {
        // SIGCONT first: a run that ended while Redis was paused must not leave it stopped
        new ProcessBuilder("kill", "-CONT", Long.toString(redis.pid())).start().waitFor();
        redis.destroy();
        redis.waitFor(5, TimeUnit.SECONDS);
      }
    }
    System.exit(exit);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void waitForRedis(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!LoadApp.pings(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not start on port " + port);
      }
      Thread.sleep(20);
    }
  }
}
