package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisCluster;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** SPEC §3 {@code redis: cluster:}: the Redis tier on a three-master cluster, keys spread over all of them. */
class RedisClusterTierTest {

  private static final int KEYS = 50;

  private static RedisCluster cluster;

  private final ManualWallClock clock = new ManualWallClock();
  private Instances instances;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void openInstances() {
    for (RedisServer node : cluster.servers()) {
      try (Jedis jedis = new Jedis(node.hostAndPort())) {
        jedis.flushAll();
      }
    }
    instances = new Instances(RedisConfig.cluster(cluster.nodes(), Duration.ofMillis(500)));
  }

  @AfterEach
  void closeInstances() {
    instances.close();
  }

  @Test
  void valuesLoadedByOneInstanceAreServedByAnotherFromEveryNode() throws Throwable {
    Caller a = new Caller(Instances.rule(instances.open("a", clock), Instances.policy(), String.class),
        new CountedMethod().returning((call, key) -> "value of " + key));
    CountedMethod methodB = new CountedMethod();
    Caller b = new Caller(Instances.rule(instances.open("b", clock), Instances.policy(), String.class), methodB);

    for (int i = 0; i < KEYS; i++) {
      a.call("key-" + i);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sum(keysPerNode("t:r:*")) == KEYS);

    assertThat(keysPerNode("t:r:*")).as("keys per node").allMatch(n -> n > 0);
    for (int i = 0; i < KEYS; i++) {
      assertThat(b.begin("key-" + i)).isEqualTo("value of key-" + i);
    }
    assertThat(methodB.calls()).isZero();
  }

  @Test
  void evictAllClearsTheRuleOnEveryNode() throws Throwable {
    TieredCache cache = instances.open("a", clock);
    Caller r = new Caller(Instances.rule(cache, Instances.policy(), String.class), new CountedMethod());
    Caller other = new Caller(Instances.rule(cache, Instances.policy().name("other"), String.class),
        new CountedMethod());
    for (int i = 0; i < KEYS; i++) {
      r.call("key-" + i);
      other.call("key-" + i);
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> sum(keysPerNode("t:*")) == 2 * KEYS);

    r.rule().evictAll();

    assertThat(sum(keysPerNode("t:r:*"))).isZero();
    assertThat(sum(keysPerNode("t:other:*"))).isEqualTo(KEYS);
  }

  private static List<Integer> keysPerNode(String pattern) {
    List<Integer> counts = new ArrayList<>();
    for (RedisServer node : cluster.servers()) {
      try (Jedis jedis = new Jedis(node.hostAndPort())) {
        counts.add(jedis.keys(pattern).size());
      }
    }
    return counts;
  }

  private static int sum(List<Integer> counts) {
    int sum = 0;
    for (int n : counts) {
      sum += n;
    }
    return sum;
  }
}
