package dev.tieredcache.runtime.backplane;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.StateChangeLog;
import dev.tieredcache.runtime.ThrottledLog;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisUnavailableException;
import dev.tieredcache.runtime.redis.RedisWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Connection;

/**
 * Keeps the memory tiers of all instances in step over Redis Pub/Sub, on channel {@code <namespace>:backplane}.
 *
 * <p>Publishing never blocks the caller: messages go through the {@link RedisWriter}, behind the Redis writes
 * they announce, merged per key and batched. Receiving runs on one daemon thread with its own subscribed
 * connection: an instance ignores its own messages, applies the others' through the {@link BackplaneListener},
 * and counts and ignores anything it cannot read. When the subscription drops it reconnects with backoff; once
 * subscribed again it marks every memory entry written before that moment stale, since invalidations may have been
 * missed meanwhile. A subscription is checked every keepalive period: one whose SUBSCRIBE was not confirmed within a
 * period, or whose PING went unanswered for one, is dropped and made again. A lost subscription is logged once at
 * WARN and its return once at INFO, however many reconnection attempts fail in between (those at DEBUG).
 */
public final class Backplane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Backplane.class);
  private static final long MIN_BACKOFF_MS = 100;
  private static final long MAX_BACKOFF_MS = 5_000;

  private final RedisConnection redis;
  private final RedisWriter writer;
  private final String instanceId;
  private final byte[] channel;
  private final CacheClock clock;
  private final BackplaneListener listener;
  private final ThrottledLog garbage = new ThrottledLog(LOG);
  private final LongAdder received = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final Thread subscriber;
  private final Subscription subscription = new Subscription();
  private volatile boolean running = true;
  private volatile boolean subscribed;
  private volatile Consumer<BackplaneMessage.Entry> appliedHook;
  private final long keepaliveNanos;
  private final Thread keepalive;
  private volatile Connection connection;
  /** When the subscriber sent SUBSCRIBE on {@link #connection} ({@link System#nanoTime()}). */
  private volatile long subscribingSince;
  private volatile long pingSentAt;
  private volatile String lastDropReason;
  private volatile boolean pingOutstanding;
  /** Why the keepalive broke the connection, for the line saying the subscription was lost; null if it did not. */
  private volatile String brokenBecause;
  private final StateChangeLog lost;
  /** When the subscription was lost ({@link System#nanoTime()}), for the line saying it is back. */
  private volatile long lostAt;

  public Backplane(RedisConnection redis, RedisWriter writer, String namespace, String instanceId, CacheClock clock,
      BackplaneListener listener) {
    this(redis, writer, namespace, instanceId, clock, listener, Duration.ofSeconds(5));
  }

  /**
   * @param keepalive how often the subscription is checked with a PING; one left unanswered until the next check
   *     means the connection is dead (a partition that sends no reset), and it is reconnected; a SUBSCRIBE not
   *     confirmed within this long is given up the same way
   */
  public Backplane(RedisConnection redis, RedisWriter writer, String namespace, String instanceId, CacheClock clock,
      BackplaneListener listener, Duration keepalive) {
    this.redis = redis;
    this.writer = writer;
    this.instanceId = instanceId;
    this.channel = (namespace + ":backplane").getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.listener = listener;
    this.lost = new StateChangeLog(LOG, clock, StateChangeLog.QUIET);
    writer.usePublishing(channel, BackplaneMessage.MAX_ENTRIES, this::encode);
    this.keepaliveNanos = keepalive.toNanos();
    this.subscriber = new Thread(this::subscribeLoop, "tiered-cache-backplane");
    subscriber.setDaemon(true);
    subscriber.start();
    this.keepalive = new Thread(this::keepaliveLoop, "tiered-cache-backplane-keepalive");
    this.keepalive.setDaemon(true);
    this.keepalive.start();
  }

  /** The channel name. */
  public String channel() {
    return new String(channel, StandardCharsets.UTF_8);
  }

  /**
   * Tells the other instances that {@code key} of {@code rule} changed here at {@code time}; a long key is named by
   * its hash ({@link BackplaneMessage#keyOnChannel}).
   */
  public void publish(BackplaneMessage.Action action, String rule, String key, long time) {
    String sent = BackplaneMessage.keyOnChannel(key);
    writer.publish(rule + '\u0000' + sent, new BackplaneMessage.Entry(action, time, rule, sent));
  }

  /**
   * Tells the other instances that {@code tag} was evicted here at {@code time}; the tag is sent as it is (the
   * caller keeps it short enough, see {@code TagTimes#normalized}).
   */
  public void publishTag(String tag, long time) {
    writer.publish("\u0000tag\u0000" + tag, new BackplaneMessage.Entry(BackplaneMessage.Action.TAG, time, "", tag));
  }

  /** True while the subscription is up. */
  public boolean isSubscribed() {
    return subscribed;
  }

  /** Messages (from other instances) received so far. */
  public long received() {
    return received.sum();
  }

  /** Messages on the channel that could not be read. */
  public long malformed() {
    return malformed.sum();
  }

  /** Why the subscription last dropped (secrets masked), or null if it never did. */
  public String lastDropReason() {
    return lastDropReason;
  }

  /** How many of Jedis's PING reply handlers are queued (see {@link Subscription}); stays at 0 or 1. */
  public int pingHandlersQueued() {
    java.util.Queue<?> handlers = subscription.pingHandlers;
    return handlers == null ? 0 : handlers.size();
  }

  /** How often the subscription came back after dropping. */
  public long reconnects() {
    return reconnects.sum();
  }

  /** Called after each entry from another instance has been applied; for measurements and tests. */
  public void onApplied(Consumer<BackplaneMessage.Entry> hook) {
    this.appliedHook = hook;
  }

  private List<byte[]> encode(List<Object> entries) {
    List<BackplaneMessage.Entry> batch = new ArrayList<>(entries.size());
    for (Object e : entries) {
      batch.add((BackplaneMessage.Entry) e);
    }
    return BackplaneMessage.encodeInBatches(instanceId, batch, BackplaneMessage.MAX_PUBLISH_BYTES);
  }

  private void subscribeLoop() {
    long backoff = MIN_BACKOFF_MS;
    boolean everSubscribed = false;
    while (running) {
      try (Connection own = redis.subscriberConnection()) {
        pingOutstanding = false;
        brokenBecause = null;
        subscribingSince = System.nanoTime();
        connection = own;
        subscription.proceed(own, channel);
      } catch (Throwable dropped) {
        // errors included: the subscriber thread must outlive anything a connection or a message throws
        String why = brokenBecause != null ? brokenBecause : redis.config().redact(dropped.toString());
        if (running && subscribed) {
          lastDropReason = why;
          lostAt = System.nanoTime();
          lost.started(() -> "backplane subscription to " + channel() + " dropped (" + why + "); reconnecting"
              + " (logged once until it is back)", null);
        } else if (running && everSubscribed) {
          LOG.debug("backplane still not subscribed to {} ({}); next try in {} ms", channel(), why, backoff);
        } else if (running) {
          LOG.debug("backplane cannot subscribe yet: {}", why);
        }
      }
      connection = null;
      if (subscribed) {
        everSubscribed = true;
        backoff = MIN_BACKOFF_MS;
      }
      subscribed = false;
      if (!running) {
        return;
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  /** Breaks a subscription whose connection stopped answering, so that the subscriber reconnects. */
  private void keepaliveLoop() {
    while (running) {
      try {
        Thread.sleep(Math.max(1, keepaliveNanos / 1_000_000L));
      } catch (InterruptedException e) {
        return;
      }
      Connection current = connection;
      if (current == null) {
        continue;
      }
      if (!subscribed) {
        // the subscription's connection may have been taken from the pool while Redis stopped answering: without
        // this, the subscriber would wait for the SUBSCRIBE reply for ever (its socket has no timeout)
        if (System.nanoTime() - subscribingSince >= keepaliveNanos && connection == current && !subscribed) {
          LOG.debug("backplane subscription to {} not confirmed within {} ms; reconnecting", channel(),
              keepaliveNanos / 1_000_000L);
          brokenBecause = "SUBSCRIBE not confirmed within " + keepaliveNanos / 1_000_000L + " ms";
          disconnect(current);
        }
        continue;
      }
      if (pingOutstanding && System.nanoTime() - pingSentAt >= keepaliveNanos) {
        LOG.debug("backplane subscription to {} does not answer PING; reconnecting", channel());
        brokenBecause = "no answer to PING within " + keepaliveNanos / 1_000_000L + " ms";
        pingOutstanding = false;
        disconnect(current);
        continue;
      }
      if (!pingOutstanding) {
        try {
          pingSentAt = System.nanoTime();
          pingOutstanding = true;
          subscription.ping();
        } catch (Throwable broken) {
          pingOutstanding = false;
          disconnect(current);
        }
      }
    }
  }

  private static void disconnect(Connection c) {
    try {
      c.disconnect();
    } catch (RuntimeException alreadyGone) {
      // the subscriber notices either way
    }
  }

  private void handle(byte[] bytes) {
    BackplaneMessage message;
    try {
      message = BackplaneMessage.decode(bytes);
    } catch (MalformedMessageException | RuntimeException | Error unreadable) {
      malformed.increment();
      garbage.warn("malformed", "ignored a message on " + channel() + " that is not ours or not readable ("
          + unreadable.getMessage() + ")", null);
      return;
    }
    if (instanceId.equals(message.instanceId())) {
      return;
    }
    for (BackplaneMessage.Entry entry : message.entries()) {
      received.increment();
      try {
        listener.apply(entry);
      } catch (RuntimeException | Error internal) {
        garbage.warn("apply", "could not apply backplane message " + entry, internal);
      }
      Consumer<BackplaneMessage.Entry> hook = appliedHook;
      if (hook != null) {
        hook.accept(entry);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      if (subscription.isSubscribed()) {
        subscription.unsubscribe();
      }
    } catch (RuntimeException e) {
      LOG.debug("unsubscribing failed: {}", e.toString());
    }
    subscriber.interrupt();
    keepalive.interrupt();
  }

  /** Waits up to {@code millis} for the backplane's threads to have ended after {@link #close}. */
  public void awaitStopped(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    subscriber.join(Math.max(1, millis));
    keepalive.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
  }

  /** The queue of reply handlers behind {@code ping()} of this Jedis version, or null (see {@link Subscription}). */
  private static java.util.Queue<?> pingHandlerQueue(BinaryJedisPubSub subscription) {
    try {
      java.lang.reflect.Field authenticatorField =
          redis.clients.jedis.JedisPubSubBase.class.getDeclaredField("authenticator");
      authenticatorField.setAccessible(true);
      Object authenticator = authenticatorField.get(subscription);
      java.lang.reflect.Field handlersField = authenticator.getClass().getDeclaredField("resultHandler");
      handlersField.setAccessible(true);
      Object handlers = handlersField.get(authenticator);
      return handlers instanceof java.util.Queue ? (java.util.Queue<?>) handlers : null;
    } catch (ReflectiveOperationException | RuntimeException otherJedis) {
      LOG.debug("no PING handler queue to drain in this Jedis: {}", otherJedis.toString());
      return null;
    }
  }

  private final class Subscription extends BinaryJedisPubSub {
    private boolean hadGap;
    /**
     * Jedis 7's {@code ping()} queues a handler for a plain {@code PONG} reply, but a subscribed RESP2 connection
     * answers with a {@code pong} message, which Jedis hands to {@link #onPong} without taking that handler off
     * its queue: one handler more per PING for the life of the subscription (measured: 504 after 504 PINGs), a
     * slow leak of a long-running instance. {@link #onPong} takes one off for each answer. Null when this Jedis
     * keeps its handlers elsewhere; then there is nothing to drain.
     */
    private final java.util.Queue<?> pingHandlers = pingHandlerQueue(this);

    @Override
    public void onSubscribe(byte[] channel, int subscribedChannels) {
      boolean reconnected = hadGap;
      subscribed = true;
      hadGap = true;
      // whatever was written before this moment may have missed invalidations (a gap, or a late first start)
      // (+1: the clock ticks in milliseconds, and an entry of this very millisecond is as suspect)
      listener.markAllStale(clock.millis() + 1);
      if (reconnected) {
        reconnects.increment();
        long awayMs = (System.nanoTime() - lostAt) / 1_000_000L;
        if (!lost.ended(() -> "backplane subscription to " + channel() + " is back; memory entries written before"
            + " it were marked stale (it was lost for " + awayMs + " ms)")) {
          LOG.debug("backplane subscription to {} is back; memory entries written before it were marked stale",
              channel());
        }
      } else {
        LOG.info("backplane subscribed to {}", channel());
      }
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      handle(message);
    }

    @Override
    public void onPong(byte[] pattern) {
      pingOutstanding = false;
      if (pingHandlers != null) {
        pingHandlers.poll();
      }
    }
  }
}
