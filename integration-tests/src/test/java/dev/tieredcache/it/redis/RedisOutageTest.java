package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.ContinuousLoadApp;
import dev.tieredcache.it.redisapps.LatencyUnderPauseApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Redis fails under a running application: no call fails or hangs, memory hits keep their latency, and once Redis
 * is back the application's loads reach it again, all without restarting the JVM. Run on the test JVM's Java only:
 * what they test does not depend on the Java version, and each takes seconds of real time.
 */
class RedisOutageTest {

  private static final String PRICE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";
  /** The rules' Redis timeout; a call must never wait much longer than this on Redis. */
  private static final long REDIS_TIMEOUT_MILLIS = 200;

  @TempDir
  Path dir;

  @Test
  void callsKeepWorkingWhileRedisIsKilledAndLoadsReachItAgainAfterItsRestart() {
    SignalFiles signals = SignalFiles.in(dir);
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: outage",
              "redis: {url: " + redis.url() + ", timeout: " + REDIS_TIMEOUT_MILLIS + "ms}",
              "backplane: true",
              "rules:",
              "  - name: price",
              "    method: " + PRICE_METHOD,
              "    key: \"{0}\"",
              "    ttl: 100ms",
              "    jitter: 0%",
              "    stale-while-revalidate: 0s");
      ForkedRun run;
      long reachedAfterMillis = -1;
      try (RunningApp app = new RunningApp("ContinuousLoadApp",
          jvm.runInBackground(ContinuousLoadApp.class, "killed", "restarted"), signals, "stop")) {
        app.awaitSignal("running", Duration.ofSeconds(20));
        long running = System.nanoTime();
        RunningApp.sleep(1_000);
        redis.kill();
        signals.raise("killed");
        RunningApp.sleep(2_000);
        redis.restart();
        long restarted = System.nanoTime();
        signals.raise("restarted");
        // the restarted server starts empty: any key in it was written after the restart (jedis connects on its
        // first command, here)
        while (reachedAfterMillis < 0 && System.nanoTime() - restarted < 10_000_000_000L) {
          if (!jedis.keys("outage:price:*").isEmpty()) {
            reachedAfterMillis = (System.nanoTime() - restarted) / 1_000_000;
          }
          RunningApp.sleep(10);
        }
        RunningApp.sleep(Math.max(500, 6_000 - (System.nanoTime() - running) / 1_000_000));
        signals.raise("stop");
        run = app.finish(Duration.ofSeconds(30));
      }
      Set<String> keysAfterRestart = jedis.keys("outage:price:*");

      System.out.println("FIGURE kill-restart: calls running/killed/restarted = " + run.result("calls.running")
          + "/" + run.result("calls.killed") + "/" + run.result("calls.restarted") + ", failures "
          + run.result("failures") + ", slowest call (us) running/killed/restarted = "
          + run.result("maxMicros.running") + "/" + run.result("maxMicros.killed") + "/"
          + run.result("maxMicros.restarted") + ", first key in the restarted Redis after " + reachedAfterMillis
          + " ms, keys there at the end: " + keysAfterRestart.size() + ", upstream calls " + run.result("upstreamCalls")
          + "; agent WARN lines " + run.agentLines("WARN"));
      run.assertHealthyAgent();
      assertThat(run.longResult("failures")).as(run.context("calls that threw, in all phases")).isZero();
      assertThat(run.longResult("wrongValues")).as(run.context("calls that returned another value")).isZero();
      assertThat(run.longResult("calls.killed")).as(run.context("calls while Redis was down")).isPositive();
      assertThat(run.longResult("calls.restarted")).as(run.context("calls after Redis was back")).isPositive();
      for (String phase : new String[] {"running", "killed", "restarted"}) {
        assertThat(run.longResult("maxMicros." + phase))
            .as(run.context("slowest call (us) in phase " + phase + ": never stuck on a dead Redis"))
            .isLessThan(1_000_000);
      }
      assertThat(reachedAfterMillis).as(run.context("ms after the restart until the app's loads reached Redis"
          + " (-1: not within 10 s)")).isNotNegative();
      for (String key : keysAfterRestart) {
        byte[] stored = jedis.get(key.getBytes(StandardCharsets.UTF_8));
        if (stored == null) {
          continue; // expired since KEYS
        }
        CacheEntry entry = StoredEntries.decode(stored, String.class);
        String sku = key.substring("outage:price:".length());
        assertThat(entry.value()).as(run.context("value written to the restarted Redis under " + key))
            .isEqualTo(sku + "@v1");
      }
    }
  }

  @Test
  void memoryHitsKeepTheirLatencyAndNoCallWaitsOutAPausedRedis() {
    SignalFiles signals = SignalFiles.in(dir);
    try (RedisServer redis = RedisServer.start()) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: pause",
              "redis: {url: " + redis.url() + ", timeout: " + REDIS_TIMEOUT_MILLIS + "ms}",
              "backplane: true",
              "rules:",
              "  - name: price",
              "    method: " + PRICE_METHOD,
              "    key: \"{0}\"",
              "    ttl: 1m");
      ForkedRun run;
      try (RunningApp app = new RunningApp("LatencyUnderPauseApp", jvm.runInBackground(LatencyUnderPauseApp.class),
          signals, "paused", "resumed", "stop")) {
        app.awaitSignal("running", Duration.ofSeconds(20));
        RunningApp.sleep(1_000);
        redis.pause();
        signals.raise("paused");
        RunningApp.sleep(5_000);
        redis.resume();
        signals.raise("resumed");
        RunningApp.sleep(1_500);
        signals.raise("stop");
        run = app.finish(Duration.ofSeconds(30));
      }

      System.out.println("FIGURE pause-5s: hits " + run.result("hits") + " p50/p90/p99/p99.9/max (us) = "
          + run.result("hitP50Micros") + "/" + run.result("hitP90Micros") + "/" + run.result("hitP99Micros") + "/"
          + run.result("hitP999Micros") + "/" + run.result("hitMaxMicros") + "; misses " + run.result("misses")
          + " p50/p99/max (us) = " + run.result("missP50Micros") + "/" + run.result("missP99Micros") + "/"
          + run.result("missMaxMicros") + "; misses started during the pause " + run.result("missesDuringPause")
          + " p50/max (us) = " + run.result("missDuringPauseP50Micros") + "/"
          + run.result("missDuringPauseMaxMicros") + "; failures " + run.result("failures") + "; agent WARN lines "
          + run.agentLines("WARN"));
      run.assertHealthyAgent();
      assertThat(run.longResult("failures")).as(run.context("calls that threw")).isZero();
      assertThat(run.longResult("wrongValues")).as(run.context("calls that returned another value")).isZero();
      assertThat(run.longResult("missesDuringPause")).as(run.context("misses started while Redis was paused"))
          .isPositive();
      assertThat(run.longResult("hitP99Micros")).as(run.context("p99 of memory-hit latency (us)"))
          .isLessThan(5_000);
      // a miss may wait out the Redis timeout, then runs the upstream (50 ms); never the 5 s pause
      long slowest = Math.max(run.longResult("hitMaxMicros"), run.longResult("missMaxMicros"));
      assertThat(slowest).as(run.context("slowest call of all (us): Redis timeout " + REDIS_TIMEOUT_MILLIS
          + " ms + upstream 50 ms + slack")).isLessThan(500_000);
    }
  }
}
