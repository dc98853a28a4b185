package dev.tieredcache.it.backplane;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.backplane.MalformedMessageException;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * The test's own subscription to a backplane channel: what the JVMs publish there, decoded, so a test knows that a
 * message went out (and when) before it lets an instance read. Messages it cannot decode (the garbage a test
 * publishes itself) are counted, not failed on.
 */
final class BackplaneWatch extends BinaryJedisPubSub implements AutoCloseable {

  private final List<BackplaneMessage.Entry> entries = new CopyOnWriteArrayList<>();
  private final AtomicInteger unreadable = new AtomicInteger();
  private final Jedis connection;
  private final Thread thread;
  private volatile boolean subscribedOnce;

  private BackplaneWatch(RedisServer redis, String channel) {
    connection = new Jedis(redis.host(), redis.port(), 2_000);
    thread = new Thread(() -> {
      try {
        connection.subscribe(this, channel.getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException closed) {
        // the test is over, or cut the subscription itself
      }
    }, "watch-" + channel);
    thread.setDaemon(true);
  }

  /** Subscribes to {@code channel} and returns once Redis confirmed the subscription. */
  static BackplaneWatch start(RedisServer redis, String channel) {
    BackplaneWatch watch = new BackplaneWatch(redis, channel);
    watch.thread.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!watch.subscribedOnce) {
      if (System.nanoTime() - deadline > 0 || !watch.thread.isAlive()) {
        throw new IllegalStateException("the test could not subscribe to " + channel);
      }
      Thread.onSpinWait();
    }
    return watch;
  }

  @Override
  public void onSubscribe(byte[] channel, int subscribedChannels) {
    subscribedOnce = true;
  }

  @Override
  public void onMessage(byte[] channel, byte[] message) {
    try {
      entries.addAll(BackplaneMessage.decode(message).entries());
    } catch (MalformedMessageException e) {
      unreadable.incrementAndGet();
    }
  }

  /** Whether an entry of {@code action} for {@code key} of {@code rule} went by. */
  boolean saw(BackplaneMessage.Action action, String rule, String key) {
    for (BackplaneMessage.Entry entry : entries) {
      if (entry.action() == action && entry.rule().equals(rule) && entry.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Messages that went by and were not backplane messages of the current format. */
  int unreadable() {
    return unreadable.get();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      if (isSubscribed()) {
        unsubscribe();
      }
    } catch (RuntimeException alreadyCut) {
      // the connection is gone already
    }
    thread.join(5_000);
    connection.close();
  }
}
