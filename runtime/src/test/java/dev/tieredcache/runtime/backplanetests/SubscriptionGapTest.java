package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.EntryState;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * An instance whose subscription drops may miss invalidations: once subscribed again it must not serve anything it
 * held from before as fresh, and its next read of such a key revalidates it (Redis, or a load).
 */
class SubscriptionGapTest {

  private static final int HELD = 50;

  @Test
  void afterItsSubscriptionIsKilledAnInstanceResubscribesAndRevalidatesWhatItHeld() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.onServer(redis.url());
        Jedis admin = new Jedis(redis.host(), redis.port(), 2_000)) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis().staleWhileRevalidate(Duration.ZERO));
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      holdKeys(b);
      InvalidationAcrossInstancesTest.awaitQuiet(a, b);

      try (Noise noise = new Noise(a)) {
        eventually().until(() -> b.backplane().received() > HELD + 20);
        fleet.table.update("k7", "k7@2");
        fleet.table.update("k9", "k9@2");
        long receivedBefore = b.backplane().received();

        assertThat(admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB)))
            .as("subscriptions killed (A's and B's)").isGreaterThanOrEqualTo(2);
        // while B is away: A evicts k7, and writes a new k9 (a load: k9 is gone from Redis, A never held it)
        a.rule.evict("k7");
        admin.del(fleet.namespace + ":product:k9");
        assertThat(a.read("k9")).isEqualTo("k9@2");
        boolean missedWhileAway = !b.backplane().isSubscribed();

        eventually().until(() -> b.backplane().isSubscribed() && b.backplane().reconnects() >= 1);
        eventually().until(() -> b.backplane().received() > receivedBefore + 20);
        System.out.println("[backplane] subscription killed: B was away while A evicted k7 and rewrote k9: "
            + missedWhileAway + "; B reconnected " + b.backplane().reconnects() + " time(s)");

        assertNothingHeldIsFresh(b);
        int loads = b.loads();
        assertThat(b.read("k7")).isEqualTo("k7@2");
        assertThat(b.read("k9")).isEqualTo("k9@2");
        assertThat(b.loads()).as("k7 loaded again, k9 taken from Redis").isEqualTo(loads + 1);
        assertThat(b.read("k3")).isEqualTo("k3@1");
        assertThat(b.holdsFresh("k3")).as("k3 revalidated").isTrue();
      }
      assertThat(b.backplane().malformed()).isZero();
    }
  }

  @Test
  void aLoadThatRanAcrossTheGapIsNotKeptAsFresh() {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.onServer(redis.url());
        Jedis admin = new Jedis(redis.host(), redis.port(), 2_000)) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());

      // B's load has read the table, then B's subscription drops, then A changes the row and evicts the key
      Instance.PendingLoad slow = b.startLoad("slow");
      admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
      fleet.table.update("slow", "slow@2");
      a.rule.evict("slow");
      eventually().until(() -> b.backplane().isSubscribed() && b.backplane().reconnects() >= 1);
      slow.finish();

      assertThat(slow.value).isEqualTo("slow@1");
      assertThat(b.holdsFresh("slow")).as("B keeps a value read before the gap as fresh: %s", b.held("slow"))
          .isFalse();
      assertThat(b.read("slow")).isEqualTo("slow@2");
      eventually().until(() -> a.backplane().isSubscribed());
      assertThat(a.read("slow")).as("what Redis gives A").isEqualTo("slow@2");
    }
  }

  @Test
  void afterARedisRestartAnInstanceResubscribesRevalidatesAndUsesRedisAgain() {
    try (RedisServer redis = RedisServer.start(); Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      holdKeys(b);
      InvalidationAcrossInstancesTest.awaitQuiet(a, b);

      redis.kill();
      eventually().until(() -> !b.backplane().isSubscribed());
      fleet.table.update("k7", "k7@2");
      a.rule.evict("k7");
      // B is cut off from the database as well: its reads of keys it does not hold fail, and open its breaker
      fleet.table.goDown();
      for (int i = 0; i < 10; i++) {
        String key = "outage" + i;
        assertThatThrownBy(() -> b.read(key)).hasMessageContaining("database is unreachable");
        assertThat(b.read("k" + i)).as("held keys are served from memory").isEqualTo("k" + i + "@1");
      }
      assertThat(b.cache.redis().get().isCircuitOpen()).as("B's circuit breaker after 10 failed reads").isTrue();
      fleet.table.comeBack();
      redis.restart();

      long restarted = System.nanoTime();
      eventually().until(() -> b.backplane().isSubscribed() && b.backplane().reconnects() >= 1);
      System.out.println("[backplane] Redis restarted: B subscribed again after "
          + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms");
      assertNothingHeldIsFresh(b);
      assertThat(b.read("k7")).isEqualTo("k7@2");

      // B's breaker closes again once it probes, and messages flow both ways again
      AtomicInteger probe = new AtomicInteger();
      eventually().until(() -> {
        b.read("probe" + probe.incrementAndGet());
        return !b.cache.redis().get().isCircuitOpen();
      });
      assertThat(b.read("k5")).isEqualTo("k5@1");
      eventually().until(() -> a.backplane().isSubscribed());
      a.rule.evict("k5");
      eventually().until(() -> b.held("k5") == null);
      assertThat(a.read("k6")).isEqualTo("k6@1");
      b.rule.evict("k6");
      eventually().until(() -> a.held("k6") == null);
    }
  }

  private static void holdKeys(Instance b) {
    for (int i = 0; i < HELD; i++) {
      assertThat(b.read("k" + i)).isEqualTo("k" + i + "@1");
    }
  }

  /** Every key B read before the gap is gone or no longer fresh. */
  private static void assertNothingHeldIsFresh(Instance b) {
    long now = b.cache.clock().millis();
    for (int i = 0; i < HELD; i++) {
      CacheEntry held = b.held("k" + i);
      assertThat(held == null ? EntryState.MISSING : held.state(now)).as("state of k%d in B: %s", i, held)
          .isNotEqualTo(EntryState.FRESH);
    }
  }

  /** A evicting keys nobody holds, about one a millisecond, on its own thread. */
  private static final class Noise implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    Noise(Instance a) {
      thread = new Thread(() -> {
        int n = 0;
        while (running.get()) {
          a.rule.evict("noise" + (n++ % 1_000));
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "noise-from-A");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(5_000);
    }
  }
}
