package dev.tieredcache.runtime.model;

import dev.tieredcache.runtime.BackplaneDelivery;
import dev.tieredcache.runtime.CallProtocol;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.Upstream;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisUnavailableException;
import dev.tieredcache.runtime.redis.ValueTooLargeException;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;

/**
 * The real runtime of one model run, driven exactly as the agent's advice drives it ({@link CallProtocol}): a
 * {@link Catalog} implementation whose {@code find} is cached, a JDK proxy of it whose {@code find} is cached too
 * (same rule, same key), a hand-moved clock, and background refreshes that wait in a queue until a step runs them
 * on the driving thread. Its original method does what {@link #upstream(String, Source)} says and counts its calls.
 */
final class LiveRuntime implements AutoCloseable {

  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
  private static final byte[] PROBE_KEY = "model-probe".getBytes(StandardCharsets.UTF_8);
  /** Runs the second callers; daemon, shared by every run. */
  private static final ExecutorService SECOND_CALLERS = Executors.newCachedThreadPool(task -> {
    Thread t = new Thread(task, "model-second-caller");
    t.setDaemon(true);
    return t;
  });

  final ModelClock clock = new ModelClock();
  private final Setting setting;
  private final RedisServer redis;
  private final String namespace;
  private final TieredCache cache;
  private final RuleCache rule;
  private final ArrayDeque<Runnable> background = new ArrayDeque<>();
  private final Catalog target = new CachedCatalog();
  private final Catalog proxy;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  private final AtomicInteger upstreamCalls = new AtomicInteger();
  private volatile boolean redisUp = true;
  /** A Redis delete was asked for while Redis was down: the writer retries it every 50 ms until Redis is back. */
  private volatile boolean deletesWhileDown;
  private Jedis admin;

  /** The key whose next upstream call lets a second caller in, or null. */
  private volatile String secondCallerKey;
  private volatile Future<Result> secondCall;
  private volatile Thread secondCallerThread;

  /**
   * @param redis the Redis server for a setting with a Redis tier (emptied here), else null
   * @param namespace the Redis namespace of this run
   */
  LiveRuntime(Setting setting, RedisServer redis, String namespace) {
    this.setting = setting;
    this.redis = redis;
    this.namespace = namespace;
    TieredCache.Builder builder = TieredCache.builder().clock(clock).namespace(namespace)
        .refreshExecutor(background::add);
    if (setting.tiers.redis()) {
      admin().flushAll();
      builder.redis(RedisConfig.url(redis.url(), REDIS_TIMEOUT));
    }
    this.cache = builder.build();
    this.rule = cache.addRule(setting.policy());
    try {
      rule.bindValueType(Catalog.class.getMethod("find", String.class).getGenericReturnType(),
          Catalog.class.getClassLoader());
    } catch (NoSuchMethodException impossible) {
      throw new IllegalStateException(impossible);
    }
    this.proxy = (Catalog) Proxy.newProxyInstance(Catalog.class.getClassLoader(), new Class<?>[] {Catalog.class},
        (self, method, args) -> {
          if (!method.getName().equals("find")) {
            return method.invoke(target, args);
          }
          String key = (String) args[0];
          // the advice on the proxy's method: its original code is the proxy's body, which calls the target
          return CallProtocol.call(rule, key, REINVOKE, self, key, (receiver, argument) -> {
            try {
              return method.invoke(target, argument);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
        });
  }

  /** What one caller got. */
  static final class Result {
    final Object value;
    final Throwable error;

    private Result(Object value, Throwable error) {
      this.value = value;
      this.error = error;
    }

    @Override
    public String toString() {
      return Outcome.describe(value, error);
    }
  }

  /** A call and, when {@code second} was asked for and the call reached the upstream, the second caller's. */
  static final class Calls {
    final Result first;
    final Result second;

    Calls(Result first, Result second) {
      this.first = first;
      this.second = second;
    }
  }

  // ---- steps ----------------------------------------------------------------------------------------------------

  /**
   * Calls {@code find(key)} on the implementation or through the proxy. With {@code secondCaller}, another caller
   * of the key calls the implementation on another thread as soon as this call reaches the upstream, and this call
   * goes on once that caller waits for it (or is done).
   */
  Calls call(String key, boolean viaProxy, boolean secondCaller) {
    arm(secondCaller ? key : null);
    Result first;
    try {
      first = new Result((viaProxy ? proxy : target).find(key), null);
    } catch (Throwable t) {
      first = new Result(null, t);
    }
    return new Calls(first, disarm());
  }

  /** Runs the oldest queued background task (with a second caller of {@code secondCallerKey}, if not null). */
  Calls runOneRefresh(String secondCallerKey) {
    Runnable task = background.poll();
    if (task == null) {
      return new Calls(null, null);
    }
    arm(secondCallerKey);
    task.run();
    return new Calls(null, disarm());
  }

  void runAllRefreshes() {
    Runnable task;
    while ((task = background.poll()) != null) {
      task.run();
    }
  }

  int queuedRefreshes() {
    return background.size();
  }

  int upstreamCalls() {
    return upstreamCalls.get();
  }

  void upstream(String key, Source source) {
    sources.put(key, source);
  }

  void advance(long millis) {
    clock.advance(millis);
  }

  /**
   * Evicts {@code key}. With {@code lateDelete} (and Redis up), Redis has not applied the delete yet when the evict
   * returns (SPEC §4: "whatever Redis has applied yet"): the entry it held is put back as it was, and stays until
   * the next write of the key overwrites it.
   */
  void evict(String key, boolean lateDelete) {
    deletesWhileDown |= !redisUp;
    List<Stored> before = lateDelete ? stored(redisKey(key)) : List.of();
    rule.evict(key);
    restore(before);
  }

  /** Evicts every key; {@code lateDelete} as for {@link #evict}. */
  void evictAll(boolean lateDelete) {
    deletesWhileDown |= !redisUp;
    List<Stored> before = lateDelete ? stored(namespace + ":r:*") : List.of();
    rule.evictAll();
    restore(before);
  }

  /** A Redis entry as it was: its bytes and how long it had left. */
  private static final class Stored {
    final byte[] key;
    final byte[] value;
    final long ttlMillis;

    Stored(byte[] key, byte[] value, long ttlMillis) {
      this.key = key;
      this.value = value;
      this.ttlMillis = ttlMillis;
    }
  }

  /** The entries Redis holds under {@code pattern} (a key, or a glob) now; none for a rule without Redis. */
  private List<Stored> stored(String pattern) {
    List<Stored> found = new ArrayList<>();
    if (!setting.tiers.redis() || !redisUp) {
      return found;
    }
    for (String k : admin().keys(pattern)) {
      byte[] key = k.getBytes(StandardCharsets.UTF_8);
      byte[] value = admin().get(key);
      long ttl = admin().pttl(key);
      if (value != null && ttl > 0) {
        found.add(new Stored(key, value, ttl));
      }
    }
    return found;
  }

  private void restore(List<Stored> entries) {
    if (entries.isEmpty()) {
      return;
    }
    for (Stored e : entries) {
      admin().psetex(e.key, e.ttlMillis, e.value);
    }
  }

  /**
   * Another instance evicted {@code key}: it deleted the key from Redis (when the rule has a Redis tier), then its
   * backplane message arrives here.
   */
  void remoteEvict(String key) {
    if (setting.tiers.redis()) {
      admin().del(redisKey(key));
    }
    BackplaneDelivery.deliver(rule, new BackplaneMessage.Entry(BackplaneMessage.Action.EVICT, clock.millis(), "r",
        key));
  }

  /** Another instance evicted every key of the rule. */
  void remoteClear() {
    if (setting.tiers.redis()) {
      for (String k : admin().keys(namespace + ":r:*")) {
        admin().del(k);
      }
    }
    BackplaneDelivery.deliver(rule, new BackplaneMessage.Entry(BackplaneMessage.Action.CLEAR, clock.millis(), "r",
        ""));
  }

  /**
   * Kills redis-server (SIGKILL; it loses its data), then makes the circuit breaker open by failing calls of its
   * own, so the outage starts in one known state whatever the pool held.
   */
  void redisGone() {
    closeAdmin();
    redis.kill();
    redisUp = false;
    RedisConnection connection = cache.redis().orElseThrow();
    for (int i = 0; i < 100 && !connection.isCircuitOpen(); i++) {
      try {
        connection.get(PROBE_KEY);
      } catch (RedisUnavailableException | ValueTooLargeException expected) {
        // the point
      }
    }
    if (!connection.isCircuitOpen()) {
      throw new IllegalStateException("the circuit breaker did not open after Redis was killed");
    }
  }

  /**
   * Restarts redis-server (empty) and moves the clock by {@code advanceMillis}, past the breaker's longest open
   * period (30 s): the next Redis call probes it and closes it. That call is made here, then the deletes the
   * writer kept retrying through the outage are let land, so Redis is again exactly what the model says.
   */
  void redisBack(long advanceMillis) {
    // writes queued during the outage fail now (the breaker is open) instead of landing after the restart
    cache.flush(Duration.ofSeconds(5));
    redis.restart();
    clock.advance(advanceMillis);
    RedisConnection connection = cache.redis().orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        connection.get(PROBE_KEY);
        break;
      } catch (RedisUnavailableException | ValueTooLargeException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Redis is not used again 10 s after its restart", notYet);
        }
        sleep(5);
      }
    }
    if (deletesWhileDown) {
      // a delete retried through the outage sleeps 50 ms between tries: let it come round once more, then flush
      sleep(60);
      deletesWhileDown = false;
    }
    redisUp = true;
    flush();
  }

  /** Waits until the Redis writes of the last step have landed, so Redis holds exactly what the model says. */
  void flush() {
    if (setting.tiers.redis() && redisUp && !cache.flush(Duration.ofSeconds(10))) {
      throw new IllegalStateException("Redis writes did not land within 10 s");
    }
  }

  @Override
  public void close() {
    closeAdmin();
    cache.close();
    if (redis != null && !redisUp) {
      redis.restart();
    }
  }

  // ---- the instrumented code --------------------------------------------------------------------------------------

  /** What the agent passes for a background refresh: the instrumented method again, on the same receiver. */
  private static final Upstream REINVOKE = new Upstream() {
    @Override
    public Object call(Object receiver, Object arguments) throws Throwable {
      return ((Catalog) receiver).find((String) arguments);
    }

    @Override
    public Class<?> valueType() {
      return List.class;
    }
  };

  /** The implementation: {@code find} goes through the runtime; its original body is the upstream. */
  private final class CachedCatalog implements Catalog {
    @Override
    @SuppressWarnings("unchecked")
    public List<String> find(String key) throws UpstreamFailure {
      try {
        return (List<String>) CallProtocol.call(rule, key, REINVOKE, this, key,
            (receiver, argument) -> originalFind((String) argument));
      } catch (UpstreamFailure | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException("the runtime threw what the method never throws", t);
      }
    }

    @Override
    public String toString() {
      return "catalog";
    }
  }

  /** The original method: a new list each call, null, or a new exception, as the key's source says. */
  private List<String> originalFind(String key) throws UpstreamFailure {
    int call = upstreamCalls.incrementAndGet();
    Source source = sources.computeIfAbsent(key, k -> Source.initial());
    String waiting = secondCallerKey;
    if (waiting != null && secondCall == null) {
      letSecondCallerIn(waiting);
    }
    switch (source.kind) {
      case VALUE:
        return new ArrayList<>(source.value(key));
      case NULL:
        // without cache-nulls a null removes the key from every tier: a delete, retried while Redis is down
        deletesWhileDown |= !redisUp;
        return null;
      default:
        throw new UpstreamFailure(key, call);
    }
  }

  private void arm(String key) {
    secondCall = null;
    secondCallerThread = null;
    secondCallerKey = key;
  }

  private Result disarm() {
    secondCallerKey = null;
    Future<Result> second = secondCall;
    secondCall = null;
    if (second == null) {
      return null;
    }
    try {
      return second.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the second caller did not finish within 20 s", e);
    }
  }

  /** Starts a second caller of {@code key} and returns once it waits on the load in flight, or is done. */
  private void letSecondCallerIn(String key) {
    Future<Result> second = SECOND_CALLERS.submit(() -> {
      secondCallerThread = Thread.currentThread();
      try {
        return new Result(target.find(key), null);
      } catch (Throwable t) {
        return new Result(null, t);
      }
    });
    secondCall = second;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!second.isDone() && !waitsOnALoad(secondCallerThread)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the second caller neither waited on the load nor finished within 20 s");
      }
      LockSupport.parkNanos(20_000);
    }
  }

  /** True if {@code caller} is parked in the runtime's wait for another caller's load of its key. */
  private static boolean waitsOnALoad(Thread caller) {
    if (caller == null) {
      return false;
    }
    Thread.State state = caller.getState();
    if (state != Thread.State.TIMED_WAITING && state != Thread.State.WAITING) {
      return false;
    }
    for (StackTraceElement frame : caller.getStackTrace()) {
      if (frame.getClassName().equals(RuleCache.class.getName()) && frame.getMethodName().equals("await")) {
        return true;
      }
    }
    return false;
  }

  /** A plain client of the Redis server, playing the other instance or the late Redis. */
  private Jedis admin() {
    if (admin == null) {
      admin = new Jedis(redis.hostAndPort());
    }
    return admin;
  }

  private void closeAdmin() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
  }

  private String redisKey(String key) {
    return namespace + ":r:" + key;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
