package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.OversizedValueApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * SPEC §3 max-value-size, §5 hostile content: a 300 MB value planted under a cached key, read by a JVM with a 128 MB
 * heap. Without a bound the client allocates the value's declared length before reading it (OutOfMemoryError, a
 * broken pooled connection, no caching). With it, the value is never transferred: the first call is a miss that
 * returns the upstream's value at once, the later calls are cached, and the load replaces the planted value.
 */
class OversizedValueTest {

  private static final long PLANTED_BYTES = 300L * 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  void aValueLargerThanTheHeapUnderACachedKeyIsAMissAndCachingGoesOn() {
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port(), 60_000)) {
      String key = "oversized:price:" + OversizedValueApp.KEY;
      jedis.setrange(key, PLANTED_BYTES - 1, "x");
      assertThat(jedis.strlen(key)).isEqualTo(PLANTED_BYTES);

      ForkedRun run = ForkedJvm.on(TestJdk.testJvm(), dir)
          .jvmOption("-Xmx128m")
          .rules("namespace: oversized",
              "redis: {url: " + redis.url() + ", timeout: 200ms}",
              "rules:",
              "  - name: price",
              "    method: dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)",
              "    key: \"{0}\"")
          .timeout(Duration.ofMinutes(2))
          .run(OversizedValueApp.class);

      System.out.println("FIGURE oversized-value: first call " + run.longResult("firstCallMicros") + " us");
      run.assertHealthyAgent();
      assertThat(run.exitCode()).as(run.context("exit code")).isZero();
      assertThat(run.result("first")).as(run.context("the first call")).isEqualTo("big@v1");
      assertThat(run.result("last")).as(run.context("the last call")).isEqualTo("big@v1");
      assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls for " + OversizedValueApp.CALLS
          + " calls of one key")).isEqualTo(1);
      assertThat(run.longResult("firstCallMicros")).as(run.context("the first call's time, in us"))
          .isLessThan(2_000_000);
      assertThat(run.stdout()).as(run.context("stdout")).noneMatch(line -> line.contains("OutOfMemoryError"));
      assertThat(run.stderr()).as(run.context("stderr")).noneMatch(line -> line.contains("OutOfMemoryError"));
      assertThat(jedis.strlen(key)).as(run.context("the planted value, replaced by the loaded one"))
          .isLessThan(1_000);
      assertThat(StoredEntries.decode(jedis.get(key.getBytes(StandardCharsets.UTF_8)), String.class).value())
          .as(run.context("the value now in Redis")).isEqualTo("big@v1");
    }
  }
}
