package dev.tieredcache.runtime.backplanetests;

import static dev.tieredcache.runtime.backplanetests.Fleet.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.backplane.Backplane;
import dev.tieredcache.runtime.backplane.BackplaneListener;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisUnavailableException;
import dev.tieredcache.runtime.redis.RedisWriter;
import dev.tieredcache.runtime.redis.ValueTooLargeException;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A subscriber that sent SUBSCRIBE on a pooled connection to a Redis that has stopped answering (SIGSTOP: the
 * connection stays open, nothing comes back) gives that connection up after one keepalive period and subscribes on a
 * new one, instead of waiting for the reply for ever.
 */
class SubscribeTimeoutTest {

  @Test
  void aSubscribeLeftUnansweredIsGivenUpAndMadeAgainOnANewConnection() throws Exception {
    try (RedisServer redis = RedisServer.start(); Jedis admin = new Jedis(redis.hostAndPort());
        RedisConnection connection = new RedisConnection(RedisConfig.url(redis.url(), Duration.ofMillis(250)),
            System::currentTimeMillis);
        RedisWriter writer = new RedisWriter(connection, 100)) {
      // one idle pooled connection, which the subscriber will take without a round trip
      get(connection, "warm-up");
      Set<String> before = clientIds(admin);
      redis.pause();
      Backplane backplane;
      try {
        backplane = new Backplane(connection, writer, "subscribe-timeout", "a", System::currentTimeMillis,
            new NoRules(), Duration.ofMillis(300));
        Thread.sleep(1_500); // several keepalive periods while Redis stays silent
      } finally {
        redis.resume();
      }
      try {
        eventually().until(backplane::isSubscribed);
        String subscriber = pubsubClientId(admin);
        assertThat(before).as("connections that existed before Redis stopped").doesNotContain(subscriber);
      } finally {
        backplane.close();
        backplane.awaitStopped(5_000);
      }
    }
  }

  private static void get(RedisConnection connection, String key) throws RedisUnavailableException,
      ValueTooLargeException {
    connection.get(key.getBytes(StandardCharsets.UTF_8));
  }

  /** The ids of the connections open now. */
  private static Set<String> clientIds(Jedis admin) {
    Set<String> ids = new HashSet<>();
    for (String line : admin.clientList().split("\n")) {
      for (String field : line.trim().split(" ")) {
        if (field.startsWith("id=")) {
          ids.add(field.substring(3));
        }
      }
    }
    return ids;
  }

  /** The id of the one subscribed connection. */
  private static String pubsubClientId(Jedis admin) {
    String[] lines = admin.clientList().split("\n");
    for (String line : lines) {
      if (line.contains(" sub=1 ")) {
        for (String field : line.trim().split(" ")) {
          if (field.startsWith("id=")) {
            return field.substring(3);
          }
        }
      }
    }
    throw new AssertionError("no subscribed connection in CLIENT LIST:\n" + String.join("\n", lines));
  }

  private static final class NoRules implements BackplaneListener {
    @Override
    public boolean apply(BackplaneMessage.Entry entry) {
      return false;
    }

    @Override
    public void markAllStale(long before) {}
  }
}
