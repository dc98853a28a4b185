package dev.tieredcache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * A short run of every benchmark and of the load driver, so that a change that breaks one is seen in the build.
 * Their figures mean nothing here (a fraction of a second each, on whatever else the machine runs).
 */
class BenchmarksSmokeTest {

  /** The module's directory is the working directory of its tests. */
  private static final Path AGENT = Path.of("../agent/target/tiered-cache-agent.jar").toAbsolutePath().normalize();
  private static final Path RULES = Path.of("hit-path-rules.yaml").toAbsolutePath();

  @Test
  void everyJmhBenchmarkRunsWithTheAgent() throws Exception {
    List<RunResult> results = runBriefly("dev\\.tieredcache\\.benchmarks\\..*", "RedisHitBenchmark", RULES);

    assertThat(results).as("one result per benchmark method").hasSizeGreaterThanOrEqualTo(10);
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void theRedisHitBenchmarkRunsWithItsRedisOnlyRule() throws Exception {
    List<RunResult> results = runBriefly("RedisHitBenchmark", null,
        Path.of("redis-hit-rules.yaml").toAbsolutePath());

    assertThat(results).hasSize(2);
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  private static List<RunResult> runBriefly(String include, String exclude, Path rules) throws Exception {
    assertThat(AGENT).as("the agent jar, built before this module").isRegularFile();
    Path log = Files.createTempFile("jmh-smoke", ".txt");
    OptionsBuilder builder = new OptionsBuilder();
    if (exclude != null) {
      builder.exclude(exclude);
    }
    Options options = builder
        .include(include)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .forks(1)
        .threads(1)
        .jvmArgsAppend("-javaagent:" + AGENT + "=" + rules)
        .shouldFailOnError(true)
        .output(log.toString())
        .build();
    try {
      return new ArrayList<>(new Runner(options).run());
    } catch (RuntimeException failed) {
      throw new AssertionError("JMH failed; its output: " + read(log), failed);
    }
  }

  @Test
  void theLoadDriverRunsEveryPhaseAndNoCallWithAValueToServeFails() throws Exception {
    assertThat(AGENT).as("the agent jar, built before this module").isRegularFile();
    Path output = Files.createTempFile("load-run", ".txt");
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dload.all=1s", "-Dload.threads=8", "-Dload.keys=500", "-Dload.agent=" + AGENT,
        "-Dload.rules=" + Path.of("load-rules.yaml").toAbsolutePath(),
        "-cp", System.getProperty("java.class.path"), "dev.tieredcache.benchmarks.load.LoadDriver");
    Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean ended = driver.waitFor(3, TimeUnit.MINUTES);
    String printed = read(output);
    if (!ended) {
      driver.destroyForcibly();
    }

    assertThat(ended).as(printed).isTrue();
    assertThat(driver.exitValue()).as(printed).isZero();
    assertThat(printed).contains("| steady |", "| upstream failing |", "| Redis killed |",
        "| Redis paused (SIGSTOP) |", "| after: Redis resumed |",
        "no failed call for a key that had a value (within stale-if-error): met (0 failed)");
  }

  @Test
  void theMemoryReportFillsBothCaches() throws Exception {
    // throws if either cache does not hold every entry it was given
    MemoryPerEntry.main(new String[] {"2000"});
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }
}
