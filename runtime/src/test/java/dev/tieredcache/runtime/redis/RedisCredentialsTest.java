package dev.tieredcache.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.testredis.RedisCluster;
import dev.tieredcache.runtime.testredis.RedisSentinelGroup;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Log-ins against real protected servers: an ACL user on a standalone server (in the URL, raw, or given apart),
 * the password of every Cluster node, and the master's and the sentinel's own passwords of a Sentinel group. A
 * refused log-in is a {@link RedisUnavailableException} whose message holds no password.
 */
class RedisCredentialsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** Holds every character a raw URL password can trip a parser with (a valid escape like %41 would be decoded). */
  private static final String PASSWORD = "S3cr/et@pw %zz :?#";

  private static void roundTrip(RedisConfig config) throws RedisUnavailableException, ValueTooLargeException {
    try (RedisConnection redis = new RedisConnection(config, System::currentTimeMillis)) {
      byte[] key = ("credentials-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
      redis.set(key, key, 60_000);
      assertThat(redis.get(key)).isEqualTo(key);
    }
  }

  private static void refused(RedisConfig config, String... secrets) {
    try (RedisConnection redis = new RedisConnection(config, System::currentTimeMillis)) {
      for (int i = 0; i < 6; i++) {
        assertThatThrownBy(() -> redis.get(new byte[] {1})).isInstanceOf(RedisUnavailableException.class)
            .satisfies(e -> {
              for (String secret : secrets) {
                assertThat(e.getMessage()).doesNotContain(secret);
              }
            });
      }
      assertThat(redis.isCircuitOpen()).isTrue();
    }
  }

  @Test
  void aclUserLogsInWithARawPasswordInTheUrlOrWithCredentialsGivenApart() throws Exception {
    try (RedisServer server = RedisServer.builder().aclUser("app", PASSWORD).start()) {
      roundTrip(RedisConfig.url("redis://app:" + PASSWORD + "@127.0.0.1:" + server.port(), TIMEOUT));
      roundTrip(RedisConfig.url(server.url(), TIMEOUT).withCredentials("app", PASSWORD));
      refused(RedisConfig.url(server.url(), TIMEOUT).withCredentials("app", "wrong-" + PASSWORD), PASSWORD);
      refused(RedisConfig.url(server.url(), TIMEOUT), PASSWORD);
    }
  }

  @Test
  void percentEncodedPasswordInTheUrlIsDecoded() throws Exception {
    try (RedisServer server = RedisServer.builder().password("p@ss/w%rd").start()) {
      roundTrip(RedisConfig.url("redis://:p%40ss%2Fw%25rd@127.0.0.1:" + server.port(), TIMEOUT));
    }
  }

  @Test
  void everyClusterNodeGetsThePassword() throws Exception {
    try (RedisCluster cluster = RedisCluster.startWithPassword(PASSWORD)) {
      roundTrip(RedisConfig.cluster(cluster.nodes(), TIMEOUT).withCredentials(null, PASSWORD));
      refused(RedisConfig.cluster(cluster.nodes(), TIMEOUT).withCredentials(null, "wrong-" + PASSWORD), PASSWORD);
    }
  }

  @Test
  void sentinelGroupNeedsTheSentinelsPasswordAndTheMastersPassword() throws Exception {
    String sentinelPassword = "sentinel-" + PASSWORD;
    try (RedisSentinelGroup group = RedisSentinelGroup.startWithPasswords(PASSWORD, sentinelPassword)) {
      RedisConfig sentinel = RedisConfig.sentinel(group.masterName(), group.sentinelNodes(), TIMEOUT);
      roundTrip(sentinel.withCredentials(null, PASSWORD).withSentinelPassword(sentinelPassword));
      refused(sentinel.withCredentials(null, "wrong").withSentinelPassword(sentinelPassword), PASSWORD,
          sentinelPassword);
      refused(sentinel.withCredentials(null, PASSWORD), PASSWORD, sentinelPassword);
    }
  }
}
