package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.BackplaneDelivery;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** A write or eviction in one instance takes the outdated memory copies out of the others, and only theirs. */
class InvalidationAcrossInstancesTest {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void anEvictionInOneInstanceMakesTheOthersServeTheNewValueFromTheirNextRead() {
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      Instance c = fleet.start("C", Fleet.memoryAndRedis());
      fleet.table.update("k", "kettle");
      assertThat(a.read("k")).isEqualTo("kettle");
      // A's value reaches Redis before its SET message, which B and C must have seen before they read
      eventually().until(() -> b.backplane().received() == 1 && c.backplane().received() == 1);
      assertThat(b.read("k")).isEqualTo("kettle");
      assertThat(c.read("k")).isEqualTo("kettle");
      assertThat(b.loads() + c.loads()).as("B and C found A's value in Redis").isZero();
      assertThat(b.holdsFresh("k") && c.holdsFresh("k")).isTrue();

      fleet.table.update("k", "steel kettle");
      a.rule.evict("k");

      eventually().until(() -> b.held("k") == null && c.held("k") == null);
      assertThat(b.read("k")).isEqualTo("steel kettle");
      assertThat(c.read("k")).isEqualTo("steel kettle");
      assertThat(a.read("k")).isEqualTo("steel kettle");
    }
  }

  @Test
  void aNewValueWrittenInOneInstanceReplacesTheOthersCopiesWithTheOneInRedis() {
    try (Fleet fleet = Fleet.onServer(redis.url()); Jedis admin = new Jedis(redis.hostAndPort())) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis().staleWhileRevalidate(Duration.ZERO));
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      Instance c = fleet.start("C", Fleet.memoryAndRedis());
      fleet.table.update("k", "kettle");
      assertThat(b.read("k")).isEqualTo("kettle");
      eventually().until(() -> c.backplane().received() == 1);
      assertThat(c.read("k")).isEqualTo("kettle");
      assertThat(a.read("k")).isEqualTo("kettle");
      int loadsOfB = b.loads();
      int loadsOfC = c.loads();

      // only A loses its value (its copy and the one in Redis go; an instance whose clock ran minutes ahead would
      // write entries the others refuse as written in the future): A reloads it, writes Redis, announces a SET
      fleet.table.update("k", "steel kettle");
      admin.del(fleet.namespace + ":product:k");
      BackplaneDelivery.deliver(a.rule, new BackplaneMessage.Entry(BackplaneMessage.Action.SET,
          System.currentTimeMillis(), "product", "k"));
      assertThat(a.read("k")).isEqualTo("steel kettle");

      eventually().until(() -> b.held("k") == null && c.held("k") == null);
      assertThat(b.read("k")).isEqualTo("steel kettle");
      assertThat(c.read("k")).isEqualTo("steel kettle");
      assertThat(b.loads()).as("B read the new value from Redis").isEqualTo(loadsOfB);
      assertThat(c.loads()).as("C read the new value from Redis").isEqualTo(loadsOfC);
    }
  }

  @Test
  void withAMemoryOnlyRuleAnEvictionMakesTheOthersLoadAgain() {
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryOnly());
      Instance b = fleet.start("B", Fleet.memoryOnly());
      Instance c = fleet.start("C", Fleet.memoryOnly());
      fleet.table.update("k", "kettle");
      for (Instance each : new Instance[] {a, b, c}) {
        assertThat(each.read("k")).isEqualTo("kettle");
      }
      awaitQuiet(a, b, c);
      for (Instance each : new Instance[] {a, b, c}) {
        assertThat(each.holdsFresh("k")).as(each + " holds k").isTrue();
      }
      int loadsBefore = a.loads() + b.loads() + c.loads();

      fleet.table.update("k", "steel kettle");
      a.rule.evict("k");

      eventually().until(() -> b.held("k") == null && c.held("k") == null);
      assertThat(b.read("k")).isEqualTo("steel kettle");
      assertThat(c.read("k")).isEqualTo("steel kettle");
      assertThat(a.read("k")).isEqualTo("steel kettle");
      assertThat(a.loads() + b.loads() + c.loads() - loadsBefore).as("each instance loaded once more").isEqualTo(3);
    }
  }

  @Test
  void withAMemoryOnlyRuleANewValueInOneInstanceMakesTheOthersLoadAgain() {
    ShiftedClock aClock = new ShiftedClock();
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryOnly().staleWhileRevalidate(Duration.ZERO), aClock);
      Instance b = fleet.start("B", Fleet.memoryOnly());
      fleet.table.update("k", "kettle");
      assertThat(a.read("k")).isEqualTo("kettle");
      assertThat(b.read("k")).isEqualTo("kettle");
      awaitQuiet(a, b);
      int loadsOfB = b.loads();

      // only A's value turns stale (its clock runs ahead): A loads the new one and announces it
      fleet.table.update("k", "steel kettle");
      aClock.advance(Fleet.TTL.plusSeconds(1));
      assertThat(a.read("k")).isEqualTo("steel kettle");

      eventually().until(() -> b.held("k") == null);
      assertThat(b.read("k")).isEqualTo("steel kettle");
      assertThat(b.loads()).isEqualTo(loadsOfB + 1);
    }
  }

  @Test
  void withAMemoryOnlyRuleInstancesReadingTheSameKeyKeepServingItFromMemory() {
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryOnly());
      Instance b = fleet.start("B", Fleet.memoryOnly());

      for (int i = 0; i < 50; i++) {
        a.read("hot");
        awaitQuiet(a, b);
        b.read("hot");
        awaitQuiet(a, b);
      }

      assertThat(a.loads() + b.loads())
          .as("upstream calls for 100 alternating reads of one unchanged key (A: %d, B: %d, A got %d messages, B %d)",
              a.loads(), b.loads(), a.backplane().received(), b.backplane().received())
          .isLessThanOrEqualTo(2);
    }
  }

  @Test
  void aLoadThatReadTheTableBeforeAnotherInstanceWroteANewerValueDoesNotReplaceIt() {
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      Instance c = fleet.start("C", Fleet.memoryAndRedis());

      // B's load reads the row, then the row changes and A loads and announces the newer value before B completes
      Instance.PendingLoad slow = b.startLoad("k");
      fleet.table.update("k", "k@2");
      assertThat(a.read("k")).isEqualTo("k@2");
      eventually().until(() -> b.backplane().received() == 1 && c.backplane().received() == 1);
      slow.finish();
      assertThat(slow.value).isEqualTo("k@1");

      assertThat(b.holdsFresh("k")).as("B keeps the value it read before A's newer one: %s", b.held("k")).isFalse();
      assertThat(b.read("k")).isEqualTo("k@2");
      assertThat(c.read("k")).as("what Redis holds").isEqualTo("k@2");
      eventually().until(() -> a.backplane().received() == b.rule.metrics().backplaneOut());
      assertThat(a.read("k")).isEqualTo("k@2");
    }
  }

  @Test
  void anInstanceIgnoresItsOwnMessagesAndNothingEchoes() throws InterruptedException {
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());

      assertThat(a.read("k")).isEqualTo("k@1");
      a.rule.evict("gone");
      eventually().until(() -> b.backplane().received() == 2);
      // B's message comes after A's two on the channel: once A has B's, it has handled its own as well
      b.rule.evict("other");
      eventually().until(() -> a.backplane().received() == 1);
      Thread.sleep(200);

      assertThat(a.backplane().received()).as("A received only B's message").isEqualTo(1);
      assertThat(a.rule.metrics().backplaneIn()).isEqualTo(1);
      assertThat(a.holdsFresh("k")).as("A's own SET left A's copy alone").isTrue();
      assertThat(a.read("k")).isEqualTo("k@1");
      assertThat(a.loads()).isEqualTo(1);
      assertThat(a.rule.metrics().backplaneOut()).as("A published its load and its eviction, nothing else")
          .isEqualTo(2);
      assertThat(b.rule.metrics().backplaneOut()).as("B published its own eviction, nothing back").isEqualTo(1);
      assertThat(b.backplane().received()).isEqualTo(2);
      assertThat(a.backplane().malformed() + b.backplane().malformed()).isZero();
    }
  }

  /** Waits until every message published so far has been received by every other instance. */
  static void awaitQuiet(Instance... instances) {
    eventually().until(() -> {
      long published = 0;
      long received = 0;
      for (Instance each : instances) {
        published += each.rule.metrics().backplaneOut();
        received += each.backplane().received();
      }
      return received == published * (instances.length - 1);
    });
  }
}
