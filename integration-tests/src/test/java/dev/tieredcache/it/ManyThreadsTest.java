package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.ManyCallersApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Many callers on cold keys of a slow upstream, on virtual threads where the JDK has them ({@link ManyCallersApp}:
 * 10,000 virtual threads on Java 25, 500 platform threads on Java 17), with the memory tier alone and with Redis:
 * one upstream call per key, every caller gets its key's value, no caller hangs (each round is bounded), and no
 * {@code jdk.VirtualThreadPinned} event (JFR, recorded inside the app) has the agent's code on its stack.
 */
class ManyThreadsTest {

  private static final String QUOTES = "dev.tieredcache.it.apps.SlowQuotes";
  private static final int KEYS = 50;
  /** Where the app's rounds and its JVM must end: generous, since the build machine may be loaded. */
  private static final Duration JVM_LIMIT = Duration.ofMinutes(4);

  @TempDir
  Path dir;

  @OnEachJdk
  void manyCallersOfColdKeysCauseOneLoadPerKeyInTheMemoryTier(TestJdk jdk) {
    ForkedRun run = launch(jdk)
        .rules("rules:",
            "  - name: quote",
            "    method: " + QUOTES + "#quote(java.lang.String)",
            "    key: \"{0}\"")
        .run(ManyCallersApp.class, "quote");

    run.assertHealthyAgent();
    assertOneLoadPerKey(run, jdk, "quote.cold");
    assertNoPinningInTheAgent(run, jdk);
    figure(run, jdk, "memory tier", "quote.cold");
  }

  @OnEachJdk
  void manyCallersOfColdKeysCauseOneLoadPerKeyWithRedis(TestJdk jdk) {
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      ForkedRun run = launch(jdk)
          .rules("namespace: shop",
              // the first calls of a cold JVM on a loaded machine queue for seconds: 10,000 virtual threads on
              // two carriers, each running interpreted code until it parks
              "redis: {url: " + redis.url() + ", timeout: 3s}",
              "rules:",
              "  - name: quote",
              "    method: " + QUOTES + "#quote(java.lang.String)",
              "    key: \"{0}\"",
              "  - name: stock",
              "    method: " + QUOTES + "#stock(java.lang.String)",
              "    key: \"{0}\"",
              "    tiers: [redis]")
          .run(ManyCallersApp.class, "quote", "stock+again");

      run.assertHealthyAgent();
      // memory and Redis: the caller that loads a key reads Redis first (a miss), the others wait for its load
      assertOneLoadPerKey(run, jdk, "quote.cold");
      // Redis only: every caller reads Redis on its own thread, through the connection pool, then joins the load
      // running, if any. Not one load per key: a caller that reads Redis after the load ended, before the writer
      // thread stored its value there, loads again (no memory copy to find)
      assertCallersServed(run, jdk, "stock.cold");
      long coldLoads = run.longResult("stock.cold.upstreamCalls");
      assertThat(coldLoads).as(run.context("stock.cold: upstream calls")).isBetween((long) KEYS, 2L * KEYS);
      // again, once the values are in Redis: every caller reads its value there, the upstream is not called
      assertCallersServed(run, jdk, "stock.again");
      assertThat(run.longResult("stock.again.upstreamCalls"))
          .as(run.context("upstream calls after a second round of callers read Redis")).isEqualTo(coldLoads);
      // every one of the second round's reads got its turn on a connection and an answer within the timeout
      assertThat(run.longResult("stock.again.rule.RedisErrors") - run.longResult("stock.cold.rule.RedisErrors"))
          .as(run.context("Redis reads of the second round that failed, timed out or found no free connection"))
          .isZero();
      assertThat(run.result("circuitOpen")).as(run.context("circuit breaker at the end")).isEqualTo("false");
      assertNoPinningInTheAgent(run, jdk);
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        for (String rule : List.of("quote", "stock")) {
          if (!jedis.exists("shop:" + rule + ":sku-" + i)) {
            missing.add("shop:" + rule + ":sku-" + i);
          }
        }
      }
      assertThat(missing).as(run.context("keys the run left out of Redis")).isEmpty();
      figure(run, jdk, "memory + Redis", "quote.cold");
      figure(run, jdk, "Redis only", "stock.cold");
      figure(run, jdk, "Redis only, values in Redis", "stock.again");
      System.out.println("FIGURE many-threads, Redis reads skipped or failed, " + jdk + ": first round "
          + run.result("stock.cold.rule.RedisErrors") + ", second round "
          + (run.longResult("stock.again.rule.RedisErrors") - run.longResult("stock.cold.rule.RedisErrors")));
    }
  }

  private ForkedJvm launch(TestJdk jdk) {
    // a deep stack in each JFR event, so that no frame of the agent is cut off below the JDK's own
    return ForkedJvm.on(jdk, dir).timeout(JVM_LIMIT).jvmOption("-XX:FlightRecorderOptions:stackdepth=512");
  }

  private static void assertOneLoadPerKey(ForkedRun run, TestJdk jdk, String round) {
    assertCallersServed(run, jdk, round);
    assertThat(run.longResult(round + ".upstreamCalls")).as(run.context(round + ": upstream calls")).isEqualTo(KEYS);
    assertThat(run.longResult(round + ".keysLoadedOnce")).as(run.context(round + ": keys loaded exactly once"))
        .isEqualTo(KEYS);
  }

  private static void assertCallersServed(ForkedRun run, TestJdk jdk, String round) {
    boolean virtual = jdk.feature() >= 21;
    assertThat(run.result("threads")).as(run.context("the kind of caller threads"))
        .isEqualTo(virtual ? "virtual" : "platform");
    long callers = run.longResult(round + ".callers");
    assertThat(callers).as(run.context(round + ": callers")).isEqualTo(virtual ? 10_000 : 500);
    assertThat(run.result(round + ".finished")).as(run.context(round + ": every caller ended in time"))
        .isEqualTo("true");
    assertThat(run.longResult(round + ".failures")).as(run.context(round + ": callers that threw")).isZero();
    assertThat(run.longResult(round + ".wrongValues")).as(run.context(round + ": callers given another key's value"))
        .isZero();
    assertThat(run.longResult(round + ".answered")).as(run.context(round + ": callers that got a value"))
        .isEqualTo(callers);
  }

  /**
   * No pinned event has a frame of the agent (its own classes and the libraries it shades, all under {@code
   * dev.tieredcache}, apart from this test's sample apps); on virtual threads the app's deliberate pin was recorded.
   */
  private static void assertNoPinningInTheAgent(ForkedRun run, TestJdk jdk) {
    List<String> pinned = run.stdout().stream().filter(line -> line.startsWith("PINNED "))
        .collect(Collectors.toList());
    List<String> inAgent = pinned.stream().filter(ManyThreadsTest::hasAgentFrame).collect(Collectors.toList());
    assertThat(inAgent).as(run.context("jdk.VirtualThreadPinned events with the agent's code on their stack"))
        .isEmpty();
    if (jdk.feature() >= 21) {
      assertThat(pinned).as(run.context("the control event (a class initialiser that sleeps on a virtual thread):"
          + " without it the recording proves nothing"))
          .anyMatch(line -> line.contains("PinnedEvents$PinnedOnPurpose.<clinit>"));
    }
  }

  private static boolean hasAgentFrame(String pinnedLine) {
    if (waitsForJdkClassInitialisation(pinnedLine)) {
      return false;
    }
    String frames = pinnedLine.substring(pinnedLine.indexOf(" frames=") + " frames=".length());
    for (String frame : frames.split(";")) {
      if (frame.startsWith("dev.tieredcache.") && !frame.startsWith("dev.tieredcache.it.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A virtual thread that waits while another thread initialises one of the JDK's own classes is pinned whatever code
   * is on its stack. The JDK sets up its socket poller ({@code sun.nio.ch.Poller}) lazily, at the first blocking
   * socket read on a virtual thread: when that read is the agent's first Redis call, the agent's frames are on the
   * stack, but the host's own first socket read meets the same one-time wait. The agent's own classes waiting for
   * initialisation still count (they are preloaded for exactly that reason).
   */
  private static boolean waitsForJdkClassInitialisation(String pinnedLine) {
    int at = pinnedLine.indexOf(" reason=Waited_for_initialization_of_");
    if (at < 0) {
      return false;
    }
    String type = pinnedLine.substring(at + " reason=Waited_for_initialization_of_".length());
    return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.");
  }

  private static void figure(ForkedRun run, TestJdk jdk, String setting, String round) {
    System.out.println("FIGURE many-threads, " + setting + ", " + jdk + ": " + run.result(round + ".callers") + " "
        + run.result("threads") + " threads on " + KEYS + " keys, " + run.result(round + ".upstreamCalls")
        + " upstream calls, round " + run.result(round + ".elapsedMillis") + " ms, slowest call "
        + run.result(round + ".slowestCallMillis") + " ms, coalesced waits " + run.result(round
        + ".rule.CoalescedWaits") + ", Redis hits " + run.result(round + ".rule.RedisHits") + ", Redis errors "
        + run.result(round + ".rule.RedisErrors") + "; pinned events " + run.result("pinned.events")
        + " (control included); JVM " + run.describe().lines().findFirst().orElse(""));
  }
}
