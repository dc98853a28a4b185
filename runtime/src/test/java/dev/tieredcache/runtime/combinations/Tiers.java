package dev.tieredcache.runtime.combinations;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redistier.ManualWallClock;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import redis.clients.jedis.Jedis;

/**
 * One cache instance for a {@link TierSetting}: with Redis, on a redis-server process shared by the tests of this
 * package (started on first use, emptied for each fixture). Time is a hand-moved wall clock; background refreshes
 * wait in a queue until the test runs them ({@link #runRefreshes}), unless the fixture was made with real refresh
 * threads.
 */
final class Tiers implements AutoCloseable {

  private static RedisServer server;

  final TierSetting setting;
  final ManualWallClock clock = new ManualWallClock();
  final TieredCache cache;
  private final Queue<Runnable> refreshes = new ArrayDeque<>();
  private final ExecutorService refreshThreads;

  private Tiers(TierSetting setting, Function<ManualWallClock, CacheClock> clockOf, boolean realRefreshThreads,
      boolean emptyRedis) {
    this.setting = setting;
    this.refreshThreads = realRefreshThreads ? Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-refresh");
      t.setDaemon(true);
      return t;
    }) : null;
    Executor executor = realRefreshThreads ? refreshThreads : this::queue;
    TieredCache.Builder builder = TieredCache.builder().clock(clockOf.apply(clock)).namespace("t").refreshExecutor(executor);
    if (setting.usesRedis()) {
      if (emptyRedis) {
        try (Jedis jedis = jedis()) {
          jedis.flushAll();
        }
      }
      builder.redis(RedisConfig.url(server().url(), Duration.ofMillis(500)));
    }
    this.cache = builder.build();
  }

  /** A fixture whose background refreshes wait until {@link #runRefreshes}. */
  static Tiers of(TierSetting setting) {
    return new Tiers(setting, c -> c, false, true);
  }

  /** {@link #of} with the cache reading time through {@code clockOf(clock)}, e.g. to inject faults. */
  static Tiers withClock(TierSetting setting, Function<ManualWallClock, CacheClock> clockOf) {
    return new Tiers(setting, clockOf, false, true);
  }

  /** A fixture whose background refreshes run at once on threads of their own. */
  static Tiers withRefreshThreads(TierSetting setting) {
    return new Tiers(setting, c -> c, true, true);
  }

  /** Another instance ("JVM") on the same Redis as this one, with its own memory tier; close it too. */
  Tiers another() {
    return new Tiers(setting, c -> c, false, false);
  }

  /** A rule named "r", jitter 0, on this setting's tiers, bound to values of {@code type} as the agent does. */
  RuleCache rule(RulePolicy.Builder policy, Type type) {
    RuleCache rule = cache.addRule(policy.name("r").jitter(0.0).tiers(setting.kinds).build());
    rule.bindValueType(type, Tiers.class.getClassLoader());
    return rule;
  }

  /** Runs the background refreshes queued so far (and any they queue), on this thread. */
  void runRefreshes() {
    Runnable next;
    while ((next = refreshes.poll()) != null) {
      next.run();
    }
  }

  int queuedRefreshes() {
    return refreshes.size();
  }

  /** Waits until every Redis write queued so far was sent, so a test can look at Redis. */
  void flush() {
    cache.flush(Duration.ofSeconds(5));
  }

  /** A plain client of this fixture's Redis. */
  static Jedis jedis() {
    return new Jedis(server().hostAndPort());
  }

  private void queue(Runnable refresh) {
    refreshes.add(refresh);
  }

  private static synchronized RedisServer server() {
    if (server == null || !server.isRunning()) {
      server = RedisServer.start();
    }
    return server;
  }

  @Override
  public void close() {
    if (refreshThreads != null) {
      refreshThreads.shutdownNow();
    }
    cache.close();
  }
}
