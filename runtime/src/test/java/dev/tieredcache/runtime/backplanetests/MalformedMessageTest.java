package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Whatever else is published on the channel is counted and ignored; the subscriber keeps going. */
class MalformedMessageTest {

  @Test
  void garbageOnTheChannelIsCountedAndIgnoredAndLaterMessagesStillApply() {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.onServer(redis.url());
        Jedis other = new Jedis(redis.host(), redis.port(), 2_000)) {
      Instance a = fleet.start("A", Fleet.memoryAndRedis());
      Instance b = fleet.start("B", Fleet.memoryAndRedis());
      assertThat(b.read("k")).isEqualTo("k@1");
      assertThat(b.read("j")).isEqualTo("j@1");
      InvalidationAcrossInstancesTest.awaitQuiet(a, b);
      byte[] channel = (fleet.namespace + ":backplane").getBytes(StandardCharsets.UTF_8);
      assertThat(b.backplane().channel()).isEqualTo(fleet.namespace + ":backplane");

      byte[] real = new BackplaneMessage("someone-else",
          List.of(new BackplaneMessage.Entry(BackplaneMessage.Action.EVICT, 1L, "product", "j"))).encode();
      byte[] random = new byte[64];
      new Random(42).nextBytes(random);
      byte[] version99 = real.clone();
      version99[1] = 99;
      byte[] unknownAction = real.clone();
      // magic, version, instance id (length and bytes), entry count, then the first entry's action
      unknownAction[1 + 1 + 2 + "someone-else".length() + 2] = 9;
      byte[] trailing = Arrays.copyOf(real, real.length + 3);
      List<byte[]> garbage = List.of(random, new byte[0], version99, Arrays.copyOf(real, real.length / 2),
          Arrays.copyOf(real, real.length - 1), unknownAction, trailing);
      for (byte[] message : garbage) {
        assertThat(other.publish(channel, message)).as("subscribers reached").isEqualTo(2);
      }
      byte[] otherRule = new BackplaneMessage("someone-else",
          List.of(new BackplaneMessage.Entry(BackplaneMessage.Action.CLEAR, 1L, "no-such-rule", ""))).encode();
      other.publish(channel, otherRule);
      a.rule.evict("k");

      eventually().until(() -> b.held("k") == null);
      assertThat(b.backplane().malformed()).as("unreadable messages counted by B").isEqualTo(garbage.size());
      // A's subscriber reads the same messages on its own thread, and nothing above waited for it
      eventually().untilAsserted(() -> assertThat(a.backplane().malformed())
          .as("unreadable messages counted by A").isEqualTo(garbage.size()));
      assertThat(b.backplane().isSubscribed()).isTrue();
      assertThat(b.backplane().reconnects())
          .as("the subscription never dropped (it did: %s)", b.backplane().lastDropReason()).isZero();
      assertThat(b.held("j")).as("none of the broken copies of the eviction of j applied").isNotNull();

      other.publish(channel, real);
      eventually().until(() -> b.held("j") == null);
      assertThat(b.read("k")).isEqualTo("k@1");
      assertThat(b.backplane().malformed()).isEqualTo(garbage.size());
    }
  }
}
