package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RulePolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

/**
 * SPEC §3 distributed-lock: with it, a stale key is refreshed by one instance of all, the others serve the stale
 * value meanwhile and then take the refreshed one from Redis; a lock whose owner never releases it expires.
 */
class DistributedLockTest extends OnOneRedisServer {

  private static final Duration TTL = Duration.ofSeconds(10);

  private ExecutorService callers;

  @AfterEach
  void stopCallers() {
    if (callers != null) {
      callers.shutdownNow();
    }
  }

  @Test
  void staleHotKeyIsRefreshedOnceAcrossAllInstances() throws Throwable {
    CountedMethod method = new CountedMethod().returning((call, key) -> {
      if (call > 1) {
        Thread.sleep(100);
      }
      return "v" + call;
    });
    List<Caller> sites = new ArrayList<>();
    for (String id : new String[] {"a", "b", "c"}) {
      sites.add(new Caller(Instances.rule(instances.open(id, clock), locked(), String.class), method));
    }
    loadEverywhere(sites, "v1");
    clock.advance(TTL.plusSeconds(1)); // stale, within stale-while-revalidate

    callers = Executors.newFixedThreadPool(9);
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> hammers = new ArrayList<>();
    ConcurrentHashMap.KeySetView<Object, Boolean> served = ConcurrentHashMap.newKeySet();
    for (Caller site : sites) {
      for (int t = 0; t < 3; t++) {
        hammers.add(callers.submit(() -> {
          start.await();
          while (!stop.get()) {
            try {
              served.add(site.call("k"));
            } catch (Throwable e) {
              throw new AssertionError("a call failed", e);
            }
          }
          return null;
        }));
      }
    }
    start.countDown();
    // the clock moves on while they hammer (instances that found the key locked look at Redis again after 50 ms)
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (System.nanoTime() < end) {
      clock.advance(Duration.ofMillis(5));
      Thread.sleep(5);
    }
    stop.set(true);
    for (Future<Object> hammer : hammers) {
      hammer.get(10, TimeUnit.SECONDS);
    }

    assertThat(served).containsOnly("v1", "v2");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      clock.advance(Duration.ofMillis(60));
      for (Caller site : sites) {
        try {
          if (!"v2".equals(site.call("k"))) {
            return false;
          }
        } catch (Throwable e) {
          throw new AssertionError(e);
        }
      }
      return true;
    });
    assertThat(method.calls()).as("upstream calls: the first load, then one refresh for all three").isEqualTo(2);
    assertThat(jedis.exists("t:r#lock:k")).as("lock released after the refresh").isFalse();
  }

  @Test
  void lockThatIsNeverReleasedExpiresAndAnotherInstanceRefreshesThen() throws Throwable {
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(Instances.rule(instances.open("a", clock), locked(), String.class), method);
    Caller b = new Caller(Instances.rule(instances.open("b", clock), locked(), String.class), method);
    List<Caller> both = List.of(a, b);
    loadEverywhere(both, "v1");
    clock.advance(TTL.plusSeconds(1));
    // an instance that took the lock and died: it never releases it
    jedis.set("t:r#lock:k", "dead-instance", SetParams.setParams().px(1_000));

    long staleBefore = b.rule().metrics().staleHits();
    assertThat(b.call("k")).isEqualTo("v1");
    // the call served the stale value, and its background refresh found the key locked and served it too
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> b.rule().metrics().staleHits() == staleBefore + 2);
    assertThat(b.call("k")).isEqualTo("v1");
    assertThat(method.calls()).as("upstream calls while the lock is held").isEqualTo(1);
    assertThat(jedis.exists("t:r#lock:k")).isTrue();

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !jedis.exists("t:r#lock:k"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
      clock.advance(Duration.ofMillis(60));
      try {
        return "v2".equals(b.call("k"));
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
    });
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void cacheKeyNamedLikeALockNeitherHoldsNorTakesTheLockOfAnotherKey() throws Throwable {
    CountedMethod method = new CountedMethod().returning((call, key) -> key + "#" + call);
    Caller a = new Caller(Instances.rule(instances.open("a", clock), locked(), String.class), method);
    assertThat(a.call("k:lock")).isEqualTo("k:lock#1");
    assertThat(a.call("k")).isEqualTo("k#2");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.exists("t:r:k:lock") && jedis.exists("t:r:k"));
    clock.advance(TTL.plusSeconds(1));

    assertThat(a.call("k")).as("stale, refreshed in the background").isEqualTo("k#2");

    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
      clock.advance(Duration.ofMillis(60));
      try {
        return "k#3".equals(a.call("k"));
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
    });
    assertThat(jedis.exists("t:r#lock:k")).as("lock released after the refresh").isFalse();
    assertThat(a.call("k:lock")).as("the other key's entry is untouched").isEqualTo("k:lock#1");
  }

  @Test
  void lockOfALongKeyIsNamedAfterTheKeysHashedForm() throws Throwable {
    String longKey = "customer/" + "x".repeat(250);
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(Instances.rule(instances.open("a", clock), locked(), String.class), method);
    assertThat(a.call(longKey)).isEqualTo("v1");
    clock.advance(TTL.plusSeconds(1));
    String hashed = "sha256:" + sha256Hex(longKey);
    jedis.set("t:r#lock:" + hashed, "dead-instance", SetParams.setParams().px(60_000));

    long staleBefore = a.rule().metrics().staleHits();
    assertThat(a.call(longKey)).isEqualTo("v1");
    // the call served the stale value, and its background refresh found the key locked and served it too
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> a.rule().metrics().staleHits() == staleBefore + 2);

    assertThat(a.call(longKey)).isEqualTo("v1");
    assertThat(method.calls()).as("the lock held under the hashed name kept the refresh back").isEqualTo(1);
  }

  /** The default test rule with a distributed lock; ttl 10 s, swr 1 min, sie 1 h. */
  private static RulePolicy.Builder locked() {
    return Instances.policy().ttl(TTL).distributedLock(true);
  }

  /** The first caller loads {@code expected}; every other one then holds it too, read from Redis. */
  private static void loadEverywhere(List<Caller> sites, String expected) throws Throwable {
    assertThat(sites.get(0).call("k")).isEqualTo(expected);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.exists("t:r:k"));
    for (Caller site : sites) {
      assertThat(site.begin("k")).isEqualTo(expected);
    }
  }

  private static String sha256Hex(String text) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) {
      hex.append(String.format("%02x", b & 0xff));
    }
    return hex.toString();
  }
}
