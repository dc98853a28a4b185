package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * SPEC §5 "Redis slow or down": calls go on with the memory tier and the upstream, no Redis failure reaches the
 * caller, a circuit breaker skips Redis after repeated failures and probes it again, and Redis is used again once
 * it is back, without recreating the cache. The breaker runs on real time here, so these tests use the wall clock.
 */
class RedisOutageTest {

  private static final CacheClock WALL = System::currentTimeMillis;
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private RedisServer server;
  private Instances instances;

  @BeforeEach
  void startRedis() {
    server = RedisServer.start();
    instances = new Instances(RedisConfig.url(server.url(), TIMEOUT));
  }

  @AfterEach
  void stopRedis() {
    instances.close();
    server.close();
  }

  @Test
  void killedRedisNeverReachesTheCallerOpensTheBreakerAndIsUsedAgainAfterRestart() throws Throwable {
    TieredCache cacheA = instances.open("a", WALL);
    Caller a = new Caller(Instances.rule(cacheA, Instances.policy(), String.class), valueOfKey());
    RedisConnection redisA = cacheA.redis().get();
    assertThat(a.call("hot")).isEqualTo("value of hot");
    awaitInRedis("t:r:hot", Duration.ofSeconds(10));

    server.kill();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int misses = 0;
    while (!redisA.isCircuitOpen()) {
      assertThat(System.nanoTime() - deadline).as("breaker open within 5 s of the kill").isNegative();
      misses++;
      assertThat(a.call("hot")).isEqualTo("value of hot");
      assertThat(a.call("down-" + misses)).isEqualTo("value of down-" + misses);
    }
    for (int i = 0; i < 50; i++) {
      assertThat(a.call("hot")).isEqualTo("value of hot");
      assertThat(a.call("open-" + i)).isEqualTo("value of open-" + i);
    }
    assertThat(a.rule().metrics().redisErrors()).isPositive();

    server.restart();

    AtomicInteger attempt = new AtomicInteger();
    AtomicReference<String> landed = new AtomicReference<>();
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String key = "up-" + attempt.incrementAndGet();
      try {
        assertThat(a.call(key)).isEqualTo("value of " + key);
      } catch (Throwable t) {
        throw new AssertionError(t);
      }
      try (Jedis jedis = new Jedis(server.hostAndPort())) {
        List<String> written = new ArrayList<>(jedis.keys("t:r:up-*"));
        if (written.isEmpty()) {
          return false;
        }
        landed.set(written.get(0).substring("t:r:".length()));
        return true;
      }
    });
    assertThat(redisA.isCircuitOpen()).isFalse();

    CountedMethod methodB = valueOfKey();
    Caller b = new Caller(Instances.rule(instances.open("b", WALL), Instances.policy(), String.class), methodB);
    assertThat(b.begin(landed.get())).isEqualTo("value of " + landed.get());
    assertThat(methodB.calls()).isZero();
  }

  /**
   * A busy instance keeps many idle connections in its pool; a restart of Redis breaks them all. The breaker's
   * probe must find out whether Redis is back, not fail on one of those broken connections (which doubles the
   * open period each time: with 16 idle connections that took 90 s before the fix).
   */
  @Test
  void restartedRedisIsUsedAgainAtTheFirstProbeEvenWithManyIdleConnectionsBrokenByTheRestart() throws Throwable {
    TieredCache cacheA = instances.open("a", WALL);
    Caller a = new Caller(Instances.rule(cacheA, Instances.policy(), String.class), valueOfKey());
    RedisConnection redisA = cacheA.redis().get();
    int threads = 16;
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> warmUps = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String prefix = "warm-" + t + "-";
        warmUps.add(callers.submit(() -> {
          start.await();
          for (int i = 0; i < 200; i++) {
            a.begin(prefix + i);
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<Object> warmUp : warmUps) {
        warmUp.get(30, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }
    try (Jedis jedis = new Jedis(server.hostAndPort())) {
      assertThat(jedis.clientList().split("\n").length).as("connections to Redis").isGreaterThan(threads / 2);
    }

    server.kill();
    for (int i = 0; !redisA.isCircuitOpen(); i++) {
      assertThat(i).as("misses before the breaker opened").isLessThan(100);
      a.call("down-" + i);
    }
    server.restart();

    long restarted = System.nanoTime();
    AtomicInteger attempt = new AtomicInteger();
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
      try {
        a.call("up-" + attempt.incrementAndGet());
      } catch (Throwable t) {
        throw new AssertionError(t);
      }
      return !redisA.isCircuitOpen();
    });
    // the breaker opened with 1 s to go; one successful probe closes it
    assertThat(Duration.ofNanos(System.nanoTime() - restarted)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void pausedRedisCostsAMissAtMostItsTimeoutAndLeavesMemoryHitsFast() throws Throwable {
    TieredCache cacheA = instances.open("a", WALL);
    CountedMethod method = new CountedMethod().returning((call, key) -> {
      Thread.sleep(20);
      return "value of " + key;
    });
    RuleCache rule = Instances.rule(cacheA, Instances.policy(), String.class);
    Caller a = new Caller(rule, method);
    assertThat(a.call("hot")).isEqualTo("value of hot");
    assertThat(a.call("doomed")).isEqualTo("value of doomed");
    awaitInRedis("t:r:doomed", Duration.ofSeconds(10));

    server.pause();
    long pausedAt = System.nanoTime();
    List<Long> missMillis = new ArrayList<>();
    long[] hitNanos = new long[5_000];
    long evictMillis;
    try {
      for (int i = 0; System.nanoTime() - pausedAt < TimeUnit.MILLISECONDS.toNanos(1_000); i++) {
        long started = System.nanoTime();
        assertThat(a.call("miss-" + i)).isEqualTo("value of miss-" + i);
        missMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      }
      for (int i = 0; i < hitNanos.length; i++) {
        long started = System.nanoTime();
        assertThat(a.call("hot")).isEqualTo("value of hot");
        hitNanos[i] = System.nanoTime() - started;
      }
      long started = System.nanoTime();
      rule.evict("doomed");
      evictMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      long rest = TimeUnit.MILLISECONDS.toNanos(2_000) - (System.nanoTime() - pausedAt);
      if (rest > 0) {
        TimeUnit.NANOSECONDS.sleep(rest);
      }
    } finally {
      server.resume();
    }

    // the first misses wait for Redis up to the timeout (200 ms) on top of the upstream (20 ms); then the
    // breaker skips Redis; the pause itself (2 s) is never waited for
    assertThat(Collections.max(missMillis)).as("slowest miss during the pause, ms; all: %s", missMillis)
        .isLessThan(1_000);
    Arrays.sort(hitNanos);
    assertThat(hitNanos[hitNanos.length * 99 / 100]).as("p99 memory hit during the pause, ns")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(5));
    assertThat(evictMillis).as("evict during the pause, ms").isLessThan(1_000);
    assertThat(a.rule().peek("doomed")).isNull();

    AtomicInteger attempt = new AtomicInteger();
    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String key = "after-" + attempt.incrementAndGet();
      try {
        a.call(key);
      } catch (Throwable t) {
        throw new AssertionError(t);
      }
      try (Jedis jedis = new Jedis(server.hostAndPort())) {
        return !jedis.keys("t:r:after-*").isEmpty();
      }
    });
    // the delete queued during the pause was kept and done once Redis answered again
    awaitGone("t:r:doomed");
  }

  private static CountedMethod valueOfKey() {
    return new CountedMethod().returning((call, key) -> "value of " + key);
  }

  private void awaitInRedis(String redisKey, Duration atMost) {
    Awaitility.await().atMost(atMost).until(() -> {
      try (Jedis jedis = new Jedis(server.hostAndPort())) {
        return jedis.exists(redisKey);
      }
    });
  }

  private void awaitGone(String redisKey) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (Jedis jedis = new Jedis(server.hostAndPort())) {
        return !jedis.exists(redisKey);
      }
    });
  }
}
