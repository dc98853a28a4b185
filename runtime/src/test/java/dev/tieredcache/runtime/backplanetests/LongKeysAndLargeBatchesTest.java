package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.redis.HashedKey;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * A key too long for a backplane message goes as its hash (the name the Redis tier stores it under), and receivers
 * evict exactly the keys they hold that hash to it, not their whole rule. A burst of invalidations is published in
 * messages of at most {@link BackplaneMessage#MAX_PUBLISH_BYTES}, well below what receivers read, so none is lost.
 */
class LongKeysAndLargeBatchesTest {

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
  void aLongKeyIsEvictedInTheOtherInstancesByItsHashAndTheirOtherKeysStay() {
    String longKey = "k".repeat(20_000);
    String otherLongKey = "j".repeat(20_000);
    String hashedLooking = HashedKey.of("short");
    try (Fleet fleet = Fleet.onServer(redis.url())) {
      Instance a = fleet.start("A", Fleet.memoryOnly());
      Instance b = fleet.start("B", Fleet.memoryOnly());
      for (String key : List.of(longKey, otherLongKey, "short", hashedLooking)) {
        assertThat(b.read(key)).isEqualTo(key + "@1");
      }

      fleet.table.update(longKey, "new");
      a.rule.evict(longKey);
      eventually().until(() -> b.held(longKey) == null);
      a.rule.evict(hashedLooking);
      eventually().until(() -> b.held(hashedLooking) == null);

      assertThat(b.held(otherLongKey)).as("another long key, not a clear of the rule").isNotNull();
      assertThat(b.held("short")).as("the key whose hash a short key spells").isNotNull();
      assertThat(b.read(longKey)).isEqualTo("new");
      assertThat(a.backplane().malformed() + b.backplane().malformed()).isZero();
    }
  }

  @Test
  void aBurstOfInvalidationsGoesOutInMessagesReceiversAcceptAndNoneIsLost() throws Exception {
    int keys = BackplaneMessage.MAX_ENTRIES;
    List<String> longKeys = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      // 1,000 three-byte characters: ~3 KB per entry, ~1.5 MB for the burst
      longKeys.add(String.format("%04d", i) + "\u20ac".repeat(BackplaneMessage.MAX_KEY_LENGTH - 4));
    }
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    try (Fleet fleet = Fleet.onServer(redis.url()); Jedis listener = new Jedis(redis.hostAndPort())) {
      Instance a = fleet.start("A", Fleet.memoryOnly());
      Instance b = fleet.start("B", Fleet.memoryOnly());
      for (String key : longKeys) {
        b.read(key);
      }
      CountDownLatch listening = new CountDownLatch(1);
      BinaryJedisPubSub sizesOnTheChannel = new BinaryJedisPubSub() {
        @Override
        public void onSubscribe(byte[] channel, int count) {
          listening.countDown();
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
          sizes.add(message.length);
        }
      };
      Thread subscriber = new Thread(() -> listener.subscribe(sizesOnTheChannel,
          a.backplane().channel().getBytes(StandardCharsets.UTF_8)));
      subscriber.start();
      assertThat(listening.await(10, TimeUnit.SECONDS)).isTrue();

      for (String key : longKeys) {
        a.rule.evict(key);
      }

      eventually().until(() -> longKeys.stream().allMatch(key -> b.held(key) == null));
      sizesOnTheChannel.unsubscribe();
      subscriber.join(10_000);
      assertThat(sizes).isNotEmpty().allMatch(size -> size <= BackplaneMessage.MAX_PUBLISH_BYTES);
      assertThat(b.backplane().malformed()).isZero();
    }
  }
}
