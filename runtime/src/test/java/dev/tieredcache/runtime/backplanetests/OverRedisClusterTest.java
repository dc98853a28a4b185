package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisCluster;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * On Redis Cluster a classic PUBLISH on any node reaches the subscribers of every node, so an instance hears the
 * others wherever each one's connections landed.
 */
class OverRedisClusterTest {

  @Test
  void messagesPublishedThroughAnyNodeReachAnInstanceSubscribedOnAnother() {
    try (RedisCluster cluster = RedisCluster.start()) {
      List<String> nodes = cluster.nodes();
      try (Fleet fleet = new Fleet(RedisConfig.cluster(nodes, Fleet.REDIS_TIMEOUT))) {
        Instance a = fleet.start("A", Fleet.memoryAndRedis(),
            RedisConfig.cluster(List.of(nodes.get(0)), Fleet.REDIS_TIMEOUT));
        Instance b = fleet.start("B", Fleet.memoryAndRedis(),
            RedisConfig.cluster(List.of(nodes.get(2)), Fleet.REDIS_TIMEOUT));
        String channel = fleet.namespace + ":backplane";
        List<Long> subscribersPerNode = new ArrayList<>();
        for (RedisServer node : cluster.servers()) {
          try (Jedis jedis = new Jedis(node.host(), node.port(), 2_000)) {
            Map<String, Long> counts = jedis.pubsubNumSub(channel);
            subscribersPerNode.add(counts.getOrDefault(channel, 0L));
          }
        }
        System.out.println("[backplane] cluster " + nodes + ": subscriptions to " + channel + " per node "
            + subscribersPerNode);
        assertThat(subscribersPerNode.stream().mapToLong(Long::longValue).sum()).isEqualTo(2);

        for (int i = 0; i < 30; i++) {
          assertThat(b.read("k" + i)).isEqualTo("k" + i + "@1");
        }
        InvalidationAcrossInstancesTest.awaitQuiet(a, b);
        assertThat(a.backplane().received()).as("B's 30 loads reached A").isEqualTo(30);
        for (int i = 0; i < 30; i++) {
          fleet.table.update("k" + i, "k" + i + "@2");
          a.rule.evict("k" + i);
        }
        eventually().until(() -> b.backplane().received() == 30);
        for (int i = 0; i < 30; i++) {
          assertThat(b.held("k" + i)).isNull();
          assertThat(b.read("k" + i)).isEqualTo("k" + i + "@2");
        }

        // one real message published on each node in turn: B applies all three, whichever node it listens on
        for (int n = 0; n < 3; n++) {
          assertThat(b.read("n" + n)).isEqualTo("n" + n + "@1");
        }
        for (int n = 0; n < 3; n++) {
          RedisServer node = cluster.servers().get(n);
          byte[] message = new BackplaneMessage("tool-on-node-" + n,
              List.of(new BackplaneMessage.Entry(BackplaneMessage.Action.EVICT, 1L, "product", "n" + n))).encode();
          try (Jedis jedis = new Jedis(node.host(), node.port(), 2_000)) {
            jedis.publish(channel.getBytes(StandardCharsets.UTF_8), message);
          }
          String key = "n" + n;
          eventually().until(() -> b.held(key) == null);
        }
        assertThat(b.backplane().malformed()).isZero();
      }
    }
  }
}
