package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.OnEachJdk;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.SharedValuesApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * One JVM loads values into memory and Redis and exits; the next JVM reads every one of them from Redis without
 * calling its upstream, equal to the original: a plain class without {@code Serializable} or no-arg constructor,
 * a record, and a {@code List<Map<String, Object>>}. The loading JVM stays until its values are in Redis: the agent
 * writes them in the background and drops what is still queued when the JVM exits.
 */
class SharedValuesAcrossJvmsTest {

  private static final String DIRECTORY = "dev.tieredcache.it.redisapps.CustomerDirectory";
  private static final List<String> IDS = List.of("c-1", "c-2", "c-3");
  private static final List<String> RULES = List.of("customer", "summary", "rows");

  @TempDir
  Path dir;

  @OnEachJdk
  void valuesLoadedByOneJvmAreReadByTheNextWithoutUpstreamCalls(TestJdk jdk) {
    loadThenRead(jdk, jdk);
  }

  /** The format does not depend on the Java version: what Java 17 wrote, Java 25 reads (and records too). */
  @Test
  void valuesLoadedOnOneJavaVersionAreReadOnTheOther() {
    List<TestJdk> jdks = TestJdk.all().collect(Collectors.toList());
    Assumptions.assumeTrue(jdks.size() > 1, "the test JVM is the only JDK: " + jdks);
    loadThenRead(jdks.get(0), jdks.get(1));
  }

  private void loadThenRead(TestJdk loadingJdk, TestJdk readingJdk) {
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      String[] rules = {
        "namespace: shop",
        "redis: {url: " + redis.url() + ", timeout: 200ms}",
        "rules:",
        "  - name: customer",
        "    method: " + DIRECTORY + "#customer(java.lang.String)",
        "    key: \"{0}\"",
        "  - name: summary",
        "    method: " + DIRECTORY + "#orderSummary(java.lang.String)",
        "    key: \"{0}\"",
        "  - name: rows",
        "    method: " + DIRECTORY + "#orderRows(java.lang.String)",
        "    key: \"{0}\"",
      };
      SignalFiles signals = SignalFiles.in(dir);
      List<String> keys = new ArrayList<>();
      for (String rule : RULES) {
        for (String id : IDS) {
          keys.add("shop:" + rule + ":" + id);
        }
      }
      ForkedRun loader;
      long propagationMillis;
      try (RunningApp loading = new RunningApp("SharedValuesApp on " + loadingJdk,
          ForkedJvm.on(loadingJdk, dir).rules(rules).runInBackground(SharedValuesApp.class, "hold"), signals,
          "release")) {
        loading.awaitSignal("loaded", Duration.ofSeconds(30));
        long loaded = System.nanoTime();
        while (!keys.stream().allMatch(jedis::exists) && System.nanoTime() - loaded < 5_000_000_000L) {
          RunningApp.sleep(5);
        }
        propagationMillis = (System.nanoTime() - loaded) / 1_000_000;
        signals.raise("release");
        loader = loading.finish(Duration.ofSeconds(30));
      }
      loader.assertHealthyAgent();
      assertThat(loader.longResult("upstreamCalls")).as(loader.context("upstream calls of the loading JVM"))
          .isEqualTo(9);
      assertThat(loader.longResult("unequalValues")).as(loader.context("values unequal to the upstream's"))
          .isZero();
      assertThat(keys).as(loader.context("keys in Redis 5 s after the loading JVM's last load; present: "
          + jedis.keys("*"))).allMatch(jedis::exists);
      System.out.println("FIGURE shared-values, loaded on " + loadingJdk + ", read on " + readingJdk + ": all 9 keys"
          + " in Redis " + propagationMillis + " ms after the last load");

      ForkedRun reader = ForkedJvm.on(readingJdk, dir).rules(rules).run(SharedValuesApp.class);
      reader.assertHealthyAgent();
      assertThat(reader.longResult("upstreamCalls")).as(reader.context("upstream calls of the reading JVM"))
          .isZero();
      assertThat(reader.longResult("unequalValues")).as(reader.context("values read from Redis unequal to the"
          + " upstream's")).isZero();
      for (String id : IDS) {
        for (String value : List.of("customer." + id, "summary." + id, "rows." + id)) {
          assertThat(reader.result(value)).as(reader.context(value + " as read, against the loading JVM's "
              + loader.result(value))).isEqualTo(loader.result(value));
        }
      }
    }
  }
}
