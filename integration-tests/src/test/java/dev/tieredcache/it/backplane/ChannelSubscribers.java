package dev.tieredcache.it.backplane;

import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.redis.RunningApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * The subscribers of a backplane channel as Redis counts them ({@code PUBSUB NUMSUB}): how a test sees, from outside,
 * that an instance's subscription is gone or has come back. Survives a restart of the server: a broken connection is
 * replaced on the next count.
 */
final class ChannelSubscribers implements AutoCloseable {

  private final RedisServer redis;
  private final String channel;
  private Jedis connection;

  ChannelSubscribers(RedisServer redis, String channel) {
    this.redis = redis;
    this.channel = channel;
  }

  /** The count now; -1 while Redis does not answer. */
  long count() {
    try {
      if (connection == null) {
        connection = new Jedis(redis.host(), redis.port(), 1_000);
      }
      return connection.pubsubNumSub(channel).getOrDefault(channel, 0L);
    } catch (RuntimeException unreachable) {
      close();
      return -1;
    }
  }

  /** Waits until the count is {@code expected}; fails at once, with its output, if one of {@code apps} ends. */
  long await(long expected, Duration timeout, RunningApp... apps) {
    String what = expected + " subscriber(s) of " + channel;
    long deadline = System.nanoTime() + timeout.toNanos();
    long started = System.nanoTime();
    long seen;
    while ((seen = count()) != expected) {
      for (RunningApp app : apps) {
        app.requireRunning(what);
      }
      if (System.nanoTime() - deadline > 0) {
        fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + " (last count " + seen + ")");
      }
      RunningApp.sleep(5);
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Override
  public void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (RuntimeException alreadyGone) {
        // nothing to release
      }
      connection = null;
    }
  }
}
