package dev.tieredcache.runtime.redis;

import dev.tieredcache.runtime.ThrottledLog;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to Redis in the background, in order, on one daemon thread, so a slow Redis never adds its latency to a
 * load. Pending writes of the same key are merged (the newest wins); a delete replaces a pending write and waits
 * behind any write already under way, so an evicted value cannot come back. When Redis is unreachable, pending
 * writes are dropped (the values are still in memory and will be loaded again) but deletes are kept and retried,
 * so an eviction is not lost. At most {@code capacity} operations wait; past that the oldest write is dropped.
 *
 * <p>It also publishes backplane messages, in the same order, so a message announcing a value is sent only after
 * the value is in Redis. Messages waiting for the same key merge (the newest wins); consecutive ones go out as one
 * batch. Messages are never dropped for writes: when only messages wait, the queue may grow to twice its capacity.
 *
 * <p>The thread survives anything an operation throws, errors included: the operation is given up (logged, rate
 * limited) and the next one runs.
 */
public final class RedisWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisWriter.class);

  private final RedisConnection redis;
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition hasWork = lock.newCondition();
  private final LinkedHashMap<String, Op> pending = new LinkedHashMap<>();
  private final LongAdder dropped = new LongAdder();
  private final ThrottledLog problems = new ThrottledLog(LOG);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile byte[] channel;
  private volatile Function<List<Object>, List<byte[]>> batchEncoder;
  private volatile int maxBatch = 1;

  public RedisWriter(RedisConnection redis, int capacity) {
    this.redis = redis;
    this.capacity = capacity;
    this.thread = new Thread(this::run, "tiered-cache-redis-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Enables {@link #publish}: messages go to {@code channel}, up to {@code maxBatch} consecutive ones encoded
   * together by {@code batchEncoder}, which may split them into several messages (published in its order).
   */
  public void usePublishing(byte[] channel, int maxBatch, Function<List<Object>, List<byte[]>> batchEncoder) {
    this.batchEncoder = batchEncoder;
    this.maxBatch = maxBatch;
    this.channel = channel;
  }

  /** Queues a backplane message about {@code key} behind the writes queued so far. */
  public void publish(String key, Object message) {
    enqueue("\u0000publish:" + key, new Op(Kind.PUBLISH, null, null, 0, message));
  }

  /** Queues SET key value PX expireAfterMs. */
  /**
   * Loads and initialises the classes of a queued write, so that the first writes, possibly from thousands of virtual
   * threads at once, do not wait for each other's class loading (which pins their carriers).
   */
  public static void loadClasses() {
    Op op = new Op(Kind.SET, new byte[0], new byte[0], 0);
    op.done.complete(null);
  }

  public void set(String key, byte[] keyBytes, byte[] value, long expireAfterMs) {
    enqueue(key, new Op(Kind.SET, keyBytes, value, expireAfterMs));
  }

  /** Queues a delete and waits up to {@code waitMs} for Redis to have done it; true if it was done. */
  public boolean delete(String key, byte[] keyBytes, long waitMs) {
    Op op = new Op(Kind.DELETE, keyBytes, null, 0);
    enqueue(key, op);
    return awaitDone(op, waitMs);
  }

  /** Queues the release of a lock this instance holds, after the writes queued before it. */
  public void unlock(String key, byte[] lockKey, byte[] owner) {
    enqueue("\u0000unlock:" + key, new Op(Kind.UNLOCK, lockKey, owner, 0));
  }

  /** Queues a delete of every key starting with {@code prefix} and waits up to {@code waitMs} for it. */
  public boolean deleteByPrefix(String prefix, long waitMs) {
    lock.lock();
    try {
      // writes of the rule queued before the clear must not land after it
      pending.keySet().removeIf(k -> k.startsWith(prefix));
    } finally {
      lock.unlock();
    }
    Op op = new Op(Kind.DELETE_PREFIX, null, prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);
    enqueue("\u0000clear:" + prefix, op);
    return awaitDone(op, waitMs);
  }

  /**
   * Waits until every operation queued so far has been tried, at most {@code maxWaitMs}; true if the queue is
   * empty. For shutdown: a JVM that exits right after its last load still shares that value.
   */
  public boolean flush(long maxWaitMs) {
    Op marker = new Op(Kind.FLUSH, null, null, 0);
    enqueue("\u0000flush:" + System.identityHashCode(marker), marker);
    return awaitDone(marker, maxWaitMs);
  }

  /** Waits up to {@code waitMs} for {@code op} to have been tried; true if it was. */
  private static boolean awaitDone(Op op, long waitMs) {
    try {
      op.done.get(waitMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception notYet) {
      if (notYet instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }

  /** Writes dropped so far because Redis was unreachable or the queue was full. */
  public long dropped() {
    return dropped.sum();
  }

  /** Operations waiting now. */
  public int backlog() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues {@code op} in {@code slot}, replacing what waits there: a write or delete of a Redis key uses the key as
   * its slot, other operations a slot of their own kind (starting with NUL, so they never meet a key).
   */
  private void enqueue(String slot, Op op) {
    lock.lock();
    try {
      Op replaced = pending.remove(slot);
      if (replaced != null && replaced.kind == Kind.DELETE && op.kind == Kind.SET) {
        // a newer value after a delete: the delete's waiter is satisfied by the value replacing it
        replaced.done.complete(null);
      }
      if (pending.size() >= capacity && (op.kind != Kind.PUBLISH || pending.size() >= capacity * 2)) {
        dropOldestWrite();
      }
      pending.put(slot, op);
      hasWork.signal();
    } finally {
      lock.unlock();
    }
  }

  private void dropOldestWrite() {
    Iterator<Op> it = pending.values().iterator();
    while (it.hasNext()) {
      Op op = it.next();
      if (op.kind == Kind.SET) {
        it.remove();
        dropped.increment();
        return;
      }
    }
    // only deletes and unlocks wait: drop the oldest anyway, the queue must stay bounded
    it = pending.values().iterator();
    if (it.hasNext()) {
      it.next().done.complete(null);
      it.remove();
      dropped.increment();
    }
  }

  private void run() {
    while (running) {
      try {
        runOnce();
      } catch (InterruptedException stop) {
        return;
      } catch (Throwable unexpected) {
        // an Error (out of memory while encoding, say) must not end the thread: later writes and deletes still run
        problems.warn("run", "Redis writer: an operation failed unexpectedly and was given up (" + unexpected
            + ")", unexpected);
      }
    }
  }

  /** Waits for the next operation (or batch of messages) and carries it out. */
  private void runOnce() throws InterruptedException {
    Map.Entry<String, Op> next;
    List<Map.Entry<String, Op>> batch = null;
    lock.lock();
    try {
      while (running && pending.isEmpty()) {
        hasWork.await();
      }
      if (!running) {
        return;
      }
      Iterator<Map.Entry<String, Op>> it = pending.entrySet().iterator();
      next = it.next();
      it.remove();
      if (next.getValue().kind == Kind.PUBLISH) {
        batch = new ArrayList<>();
        batch.add(next);
        // only messages at the head: one behind a write must wait for that write
        while (it.hasNext() && batch.size() < maxBatch) {
          Map.Entry<String, Op> more = it.next();
          if (more.getValue().kind != Kind.PUBLISH) {
            break;
          }
          it.remove();
          batch.add(more);
        }
      }
    } finally {
      lock.unlock();
    }
    if (batch != null) {
      publishBatch(batch);
    } else {
      execute(next.getKey(), next.getValue());
    }
  }

  private void publishBatch(List<Map.Entry<String, Op>> batch) {
    byte[] target = channel;
    Function<List<Object>, List<byte[]>> encoder = batchEncoder;
    if (target == null || encoder == null) {
      return;
    }
    List<Object> messages = new ArrayList<>(batch.size());
    for (Map.Entry<String, Op> e : batch) {
      messages.add(e.getValue().message);
    }
    try {
      for (byte[] message : encoder.apply(messages)) {
        redis.publish(target, message);
      }
    } catch (RedisUnavailableException e) {
      LOG.debug("backplane publish not done yet, kept for a retry: {}", e.getMessage());
      pauseBeforeRetry();
      lock.lock();
      try {
        for (Map.Entry<String, Op> b : batch) {
          if (!pending.containsKey(b.getKey()) && pending.size() < capacity * 2) {
            pending.put(b.getKey(), b.getValue());
          }
        }
        hasWork.signal();
      } finally {
        lock.unlock();
      }
    } catch (RuntimeException | Error e) {
      problems.warn("publish", "backplane publish failed unexpectedly (" + e + ")", e);
    }
  }

  private void pauseBeforeRetry() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void execute(String slot, Op op) {
    try {
      switch (op.kind) {
        case SET:
          redis.set(op.key, op.value, op.expireAfterMs);
          break;
        case DELETE:
          redis.delete(op.key);
          break;
        case UNLOCK:
          redis.deleteIfEquals(op.key, op.value);
          break;
        case FLUSH:
          break;
        default:
          redis.deleteByPrefix(new String(op.value, java.nio.charset.StandardCharsets.UTF_8));
          break;
      }
      op.done.complete(null);
    } catch (RedisUnavailableException e) {
      if (op.kind == Kind.SET) {
        dropped.increment();
        op.done.complete(null);
        return;
      }
      LOG.debug("Redis {} not done yet, kept for a retry: {}", op.kind, e.getMessage());
      retryLater(slot, op);
    } catch (RuntimeException | Error e) {
      problems.warn("write", "Redis write failed unexpectedly (" + e + ")", e);
      op.done.complete(null);
    }
  }

  private void retryLater(String slot, Op op) {
    if (op.kind == Kind.UNLOCK) {
      op.done.complete(null); // the lock expires by itself
      return;
    }
    pauseBeforeRetry();
    lock.lock();
    try {
      if (!pending.containsKey(slot) && pending.size() < capacity) {
        pending.put(slot, op);
        hasWork.signal();
      } else {
        op.done.complete(null);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  /** Waits up to {@code millis} for the writer thread to have ended after {@link #close}. */
  public void awaitStopped(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
  }

  private enum Kind { SET, DELETE, UNLOCK, DELETE_PREFIX, PUBLISH, FLUSH }

  private static final class Op {
    final Kind kind;
    final byte[] key;
    final byte[] value;
    final long expireAfterMs;
    final Object message;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Op(Kind kind, byte[] key, byte[] value, long expireAfterMs) {
      this(kind, key, value, expireAfterMs, null);
    }

    Op(Kind kind, byte[] key, byte[] value, long expireAfterMs, Object message) {
      this.kind = kind;
      this.key = key;
      this.value = value;
      this.expireAfterMs = expireAfterMs;
      this.message = message;
    }
  }
}
