package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A Redis at maxmemory with the noeviction policy refuses every write ("OOM command not allowed") but still answers
 * reads: the refused writes are values kept in memory only, and must not open the circuit breaker, which would turn
 * the reads off too.
 */
class NoEvictionRedisTest {

  private static final EntryCodec STRINGS = new EntryCodec(ValueCodec.forType(String.class, List.of(), null));

  @Test
  void writesRefusedByAFullRedisLeaveItsReadsInUse() throws Throwable {
    try (RedisServer server = RedisServer.builder().args("--maxmemory", "2mb", "--maxmemory-policy", "noeviction")
            .start();
        Jedis jedis = new Jedis(server.hostAndPort());
        Instances instances = new Instances(RedisConfig.url(server.url(), Duration.ofMillis(200)))) {
      ManualWallClock clock = new ManualWallClock();
      long now = clock.millis();
      jedis.set("t:r:held".getBytes(StandardCharsets.UTF_8),
          STRINGS.encode(new CacheEntry("from redis", now, now + 60_000, now + 120_000)));
      fill(jedis);
      TieredCache cache = instances.open("a", clock);
      CountedMethod method = new CountedMethod();
      Caller a = new Caller(Instances.rule(cache, Instances.policy(), String.class), method);

      for (int i = 0; i < 50; i++) {
        assertThat(a.call("k" + i)).isEqualTo("v" + (i + 1));
      }
      assertThat(cache.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(jedis.exists("t:r:k0")).as("a refused write").isFalse();

      assertThat(cache.redis().orElseThrow().isCircuitOpen()).as("breaker after 50 refused writes").isFalse();
      assertThat(a.call("held")).isEqualTo("from redis");
      assertThat(method.calls()).as("upstream calls: the 50 new keys only").isEqualTo(50);
      assertThat(a.rule().metrics().redisHits()).isEqualTo(1);
    }
  }

  /** Writes until Redis refuses with OOM. */
  private static void fill(Jedis jedis) {
    String filler = "f".repeat(10_000);
    for (int i = 0; i < 10_000; i++) {
      try {
        jedis.set("filler:" + i, filler);
      } catch (JedisDataException full) {
        assertThat(full.getMessage()).startsWith("OOM");
        return;
      }
    }
    throw new AssertionError("Redis with maxmemory 2mb took 100 MB without refusing a write");
  }
}
