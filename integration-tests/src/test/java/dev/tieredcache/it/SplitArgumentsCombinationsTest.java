package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.SplitArgumentsApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A method whose integer arguments reach the cache unboxed, in the combinations where bugs lived before: every
 * {@code tiers:} setting, with copy-on-read and cache-nulls on, called through a JDK proxy (a {@code +} rule), with a
 * {@code null} result and the upstream failing after the ttl (stale-if-error). Java 17, the test JVM's.
 */
class SplitArgumentsCombinationsTest {

  private static final long TTL_MS = 300;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"[memory]", "[memory, redis]", "[redis]"})
  void unboxedIntegerArgumentsWorkOnEveryTierWithCopiesNullsAProxyAndAFault(String tiers) {
    try (RedisServer redis = tiers.contains("redis") ? RedisServer.start() : null) {
      List<String> rules = new ArrayList<>();
      if (redis != null) {
        rules.add("redis: {url: " + redis.url() + ", timeout: 200ms}");
      }
      rules.addAll(List.of(
          "rules:",
          "  - name: lot",
          "    method: dev.tieredcache.it.apps.Lots+#lot(long, int)",
          "    tiers: " + tiers,
          "    ttl: " + TTL_MS + "ms",
          "    jitter: 0%",
          "    stale-if-error: 1m",
          "    cache-nulls: true",
          "    copy-on-read: true"));
      ForkedRun run = ForkedJvm.on(TestJdk.testJvm(), dir).rules(rules.toArray(new String[0]))
          .run(SplitArgumentsApp.class, String.valueOf(TTL_MS + 300));

      run.assertHealthyAgent();
      assertThat(run.result("proxyClass")).as(run.context("a JDK proxy")).contains("$Proxy");
      assertThat(run.result("first")).as(run.context("first call, tiers " + tiers)).isEqualTo("w7000000000-r400");
      assertThat(run.result("second")).as(run.context("second call")).isEqualTo("w7000000000-r400");
      // a Redis-only rule's caller that reads Redis after a load ended but before the writer stored its value loads
      // again (README, "Virtual threads"): one call more at most
      long extra = tiers.equals("[redis]") ? 1 : 0;
      long afterTwo = run.longResult("callsAfterTwo");
      assertThat(afterTwo).as(run.context("upstream calls after the same key twice")).isBetween(1L, 1 + extra);
      assertThat(run.result("noneAgain")).as(run.context("the cached null")).isEqualTo("null");
      assertThat(run.longResult("callsAfterNull") - afterTwo)
          .as(run.context("upstream calls for a null key called twice")).isBetween(1L, 1 + extra);
      assertThat(run.result("staleWhileFailing")).as(run.context("past the ttl, the upstream failing"))
          .isEqualTo("w7000000000-r400");
    }
  }
}
