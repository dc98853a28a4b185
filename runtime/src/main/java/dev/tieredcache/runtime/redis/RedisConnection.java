package dev.tieredcache.runtime.redis;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.ThrottledLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.Pool;

/**
 * The pooled Jedis client of one Redis deployment (server, Sentinel group or Cluster), behind a circuit breaker.
 * Every call is bounded by the configured timeout (a caller's command waits at most that long for its turn on a
 * connection, then runs at most that long, the whole command, not each socket read: {@link DeadlineSocketFactory};
 * for a Sentinel group or a Cluster, whose sockets Jedis makes out of reach, each read) and either succeeds or
 * throws {@link RedisUnavailableException}; nothing else escapes. The client is created on first use and again after a failure to create it, so an instance
 * that starts while Redis is down uses it once it is up.
 */
public final class RedisConnection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
  /**
   * Most commands of the callers' threads (GET, SET NX) running at once, each on a pooled connection of its own. The
   * pool holds two connections more: one for the writer thread's commands, which never queue behind the callers'
   * (a value loaded is read back by the next callers, see {@link RedisWriter}), and one for the backplane's
   * subscription. So no command ever waits in the pool itself.
   */
  static final int CALLER_CONNECTIONS = 32;
  private static final int POOL_SIZE = CALLER_CONNECTIONS + 2;
  private static final byte[] UNLOCK_SCRIPT_BYTES =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
          .getBytes(StandardCharsets.UTF_8);
  /**
   * GET that hands over a value only up to ARGV[1] bytes, in one round trip: the value, nil when there is none, or
   * (an integer) the size of a larger one, which then never leaves Redis. Reads only, so a Redis at maxmemory with
   * noeviction still runs it.
   */
  private static final byte[] BOUNDED_GET_SCRIPT_BYTES =
      ("local n = redis.call('strlen', KEYS[1]) if n > tonumber(ARGV[1]) then return n end"
          + " return redis.call('get', KEYS[1])").getBytes(StandardCharsets.UTF_8);

  private final RedisConfig config;
  private final CircuitBreaker breaker;
  private final int timeoutMs;
  private final byte[] maxValueSize;
  private final ThrottledLog refusals = new ThrottledLog(LOG);
  private final ReentrantLock creating = new ReentrantLock();
  /**
   * The turns of the callers for a connection, first come first served. Waiting happens here, not in the pool:
   * commons-pool lets a newcomer take a returned connection before the callers that have waited for one (with
   * 10,000 virtual threads, thousands waited past the timeout while others got through), and its object creation
   * waits inside {@code synchronized} (Object.wait), which pins a virtual thread before Java 24 (jedis issue 3927).
   */
  private final Semaphore turns = new Semaphore(CALLER_CONNECTIONS, true);
  private volatile UnifiedJedis client;
  /** The connections of a Sentinel client (JedisSentineled does not expose its pool); null otherwise. */
  private volatile SentineledConnectionProvider sentinelProvider;
  private volatile boolean closed;

  public RedisConnection(RedisConfig config, CacheClock clock) {
    this.config = config;
    this.timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
    this.maxValueSize = Integer.toString(config.maxValueSize()).getBytes(StandardCharsets.UTF_8);
    this.breaker = new CircuitBreaker(config.toString(), clock, 5, Duration.ofSeconds(1), Duration.ofSeconds(30),
        config::redact);
  }

  /**
   * Loads and initialises the classes of every call's deadline ({@link CallDeadline}) and of the commands of the
   * callers' threads, so that the first calls, possibly from thousands of virtual threads at once, do not wait for each
   * other's class initialisation (which pins their carriers).
   */
  public static void loadClasses() {
    CallDeadline deadline = CallDeadline.start(1);
    if (deadline != null) {
      deadline.end();
    }
    CallDeadline.closeSocketOfCurrentCall();
    DeadlineSocketFactory.class.getName();
    new BoundedGet(new byte[0], new byte[0]).getClass().getName();
    new SetIfAbsent(new byte[0], new byte[0], 1).getClass().getName();
    SetParams.setParams().nx().px(1);
  }

  public RedisConfig config() {
    return config;
  }

  /** True while the breaker keeps callers away from Redis. */
  public boolean isCircuitOpen() {
    return breaker.isOpen();
  }

  /**
   * GET, on a caller's thread: waits for its turn. A value larger than {@link RedisConfig#maxValueSize()} is not
   * transferred (the client would allocate its whole declared length before reading it).
   *
   * @throws ValueTooLargeException if the value is larger than max-value-size
   */
  public byte[] get(byte[] key) throws RedisUnavailableException, ValueTooLargeException {
    Object reply = callInTurn("GET", new BoundedGet(key, maxValueSize));
    if (reply instanceof Long) {
      throw new ValueTooLargeException((Long) reply, config.maxValueSize());
    }
    return (byte[]) reply;
  }

  /** SET with an expiry in milliseconds (PX). */
  public void set(byte[] key, byte[] value, long expireAfterMs) throws RedisUnavailableException {
    call("SET", c -> c.set(key, value, SetParams.setParams().px(Math.max(1, expireAfterMs))));
  }

  public void delete(byte[] key) throws RedisUnavailableException {
    call("DEL", c -> c.del(key));
  }

  /** SET NX PX, on a caller's thread (waits for its turn): true if this call created the key (took the lock). */
  public boolean setIfAbsent(byte[] key, byte[] value, long expireAfterMs) throws RedisUnavailableException {
    return "OK".equals(callInTurn("SET NX", new SetIfAbsent(key, value, expireAfterMs)));
  }

  /*
   * The commands of the callers' threads are classes, not lambdas: a lambda's call site is linked at its first run,
   * and thousands of virtual threads running it at once wait for each other inside the JVM, which pins their
   * carriers (ManyThreadsTest saw RedisConnection.get in MethodHandleNatives.findMethodHandleType). Their classes
   * are loaded by loadClasses.
   */

  /** The bounded GET: the value, nil, or the size of a value over max-value-size. */
  private static final class BoundedGet implements Function<UnifiedJedis, Object> {
    private final byte[] key;
    private final byte[] maxValueSize;

    BoundedGet(byte[] key, byte[] maxValueSize) {
      this.key = key;
      this.maxValueSize = maxValueSize;
    }

    @Override
    public Object apply(UnifiedJedis c) {
      Object answer = c.eval(BOUNDED_GET_SCRIPT_BYTES, List.of(key), List.of(maxValueSize));
      if (answer != null && !(answer instanceof byte[]) && !(answer instanceof Long)) {
        throw new IllegalStateException("Redis answered a GET with a " + answer.getClass().getSimpleName());
      }
      return answer;
    }
  }

  /** SET NX PX. */
  private static final class SetIfAbsent implements Function<UnifiedJedis, String> {
    private final byte[] key;
    private final byte[] value;
    private final long expireAfterMs;

    SetIfAbsent(byte[] key, byte[] value, long expireAfterMs) {
      this.key = key;
      this.value = value;
      this.expireAfterMs = expireAfterMs;
    }

    @Override
    public String apply(UnifiedJedis c) {
      return c.set(key, value, SetParams.setParams().nx().px(Math.max(1, expireAfterMs)));
    }
  }

  /** Deletes {@code key} only while it still holds {@code value} (releases a lock this instance owns). */
  public void deleteIfEquals(byte[] key, byte[] value) throws RedisUnavailableException {
    call("EVAL unlock", c -> c.eval(UNLOCK_SCRIPT_BYTES, List.of(key), List.of(value)));
  }

  /** PUBLISH on {@code channel}. */
  public void publish(byte[] channel, byte[] message) throws RedisUnavailableException {
    call("PUBLISH", c -> c.publish(channel, message));
  }

  /** Deletes every key that starts with {@code prefix}, on every node; returns how many. */
  public long deleteByPrefix(String prefix) throws RedisUnavailableException {
    // a clear walks every key of a rule: each of its reads is bounded by the timeout, not the whole walk
    return call("SCAN/DEL", c -> {
      long deleted = 0;
      for (Pool<Connection> node : nodePools(c)) {
        try (Connection connection = node.getResource(); Jedis jedis = new Jedis(connection)) {
          deleted += deleteByPrefix(jedis, prefix);
        }
      }
      return deleted;
    }, false);
  }

  private static long deleteByPrefix(Jedis node, String prefix) {
    ScanParams params = new ScanParams().match(escapeGlob(prefix) + "*").count(500);
    String cursor = ScanParams.SCAN_POINTER_START;
    long deleted = 0;
    do {
      ScanResult<String> page = node.scan(cursor, params);
      for (String key : page.getResult()) {
        deleted += node.del(key);
      }
      cursor = page.getCursor();
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    return deleted;
  }

  private static String escapeGlob(String text) {
    return text.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  /**
   * A connection for a long-lived subscription, taken from the client's pool (of any node, for a Cluster: classic
   * Pub/Sub reaches every node). The caller closes it; {@link Connection#disconnect()} breaks it from another
   * thread. The circuit breaker does not guard it: the subscriber retries with a backoff of its own, and a use that
   * is never reported back to the breaker must not take the probe of a half-open breaker.
   */
  public Connection subscriberConnection() throws RedisUnavailableException {
    UnifiedJedis c = acquire(false);
    RuntimeException last = null;
    try {
      for (Pool<Connection> node : nodePools(c)) {
        try {
          return node.getResource();
        } catch (RuntimeException unreachable) {
          last = unreachable;
        }
      }
    } catch (RuntimeException e) {
      last = e;
    }
    throw new RedisUnavailableException("cannot open a subscriber connection to Redis " + config + ": "
        + (last != null ? config.redact(last.toString()) : "no known node"), last);
  }

  /**
   * {@link #call} for a command of a caller's thread: it first waits for its turn ({@link #CALLER_CONNECTIONS}
   * commands at once, first come first served), up to the timeout. A caller whose turn does not come in time skips
   * Redis without a verdict on it: the queue is this instance's, Redis may be fine.
   */
  private <T> T callInTurn(String what, Function<UnifiedJedis, T> command) throws RedisUnavailableException {
    if (closed) {
      throw new RedisUnavailableException("closed", null);
    }
    if (breaker.skipsNow()) {
      throw new RedisUnavailableException("circuit open: Redis " + config + " is skipped for now", null);
    }
    awaitTurn(what);
    try {
      return call(what, command);
    } finally {
      turns.release();
    }
  }

  /**
   * One Redis command through the breaker: its success or failure is reported, a failure (any {@link Throwable},
   * errors included, so that a probe always reports back) as the checked one. A command that Redis refuses for
   * what it holds rather than for how it is doing (a write at maxmemory with noeviction, a key of another type)
   * fails without counting against the breaker: the server answered, and reads must go on. Called as it is by the
   * writer thread (one connection of the pool is kept for it), through {@link #callInTurn} by the callers' threads.
   */
  private <T> T call(String what, Function<UnifiedJedis, T> command) throws RedisUnavailableException {
    return call(what, command, true);
  }

  /**
   * {@link #call}; with {@code bounded} the whole command, connecting included, must be done within the timeout
   * ({@link CallDeadline}: a server that trickles its reply cannot hold the caller longer), else each read is.
   */
  private <T> T call(String what, Function<UnifiedJedis, T> command, boolean bounded)
      throws RedisUnavailableException {
    CallDeadline deadline = bounded ? CallDeadline.start(timeoutMs) : null;
    try {
      return callWithin(what, command);
    } finally {
      if (deadline != null) {
        deadline.end();
      }
    }
  }

  private <T> T callWithin(String what, Function<UnifiedJedis, T> command) throws RedisUnavailableException {
    UnifiedJedis c = null;
    try {
      c = acquire();
      T result = command.apply(c);
      breaker.onSuccess();
      return result;
    } catch (JedisDataException refused) {
      if (!answeredRefusal(refused)) {
        throw failed(what, refused);
      }
      breaker.onSuccess();
      if (isOutOfMemory(refused)) {
        refusals.warn("oom", "Redis " + config + " refuses writes: it is full (maxmemory with the noeviction"
            + " policy); values stay in memory only until it has room", null);
      }
      throw new RedisUnavailableException(what + " refused by Redis " + config + ": " + refused.getMessage(),
          refused);
    } catch (RedisUnavailableException skippedOrReported) {
      throw skippedOrReported;
    } catch (JedisException e) {
      throw failed(what, e);
    } catch (Throwable e) {
      // not the client's own failure (an Error while reading a reply, a reply of the wrong shape): the connection
      // is not marked broken and may hold the rest of a reply, which must not answer another command
      CallDeadline.closeSocketOfCurrentCall();
      if (c != null) {
        dropIdleConnections(c);
      }
      throw failed(what, e);
    }
  }

  /** A refusal that shows a working server: out of memory for writes (noeviction), or a key of another type. */
  private static boolean answeredRefusal(JedisDataException refused) {
    String message = refused.getMessage();
    return message != null && (isOutOfMemory(refused) || message.startsWith("WRONGTYPE"));
  }

  private static boolean isOutOfMemory(JedisDataException refused) {
    String message = refused.getMessage();
    return message != null && message.startsWith("OOM");
  }

  private void awaitTurn(String what) throws RedisUnavailableException {
    try {
      if (turns.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RedisUnavailableException(what + " skipped: interrupted while waiting for a connection to Redis "
          + config, e);
    }
    throw new RedisUnavailableException(what + " skipped: all " + CALLER_CONNECTIONS + " connections to Redis " + config
        + " stayed busy for " + timeoutMs + " ms", null);
  }

  /**
   * Tests the idle pooled connections and drops the broken ones (what commons-pool's evictor thread would do);
   * called by the cache's sweeper. Never throws.
   */
  public void testIdleConnections() {
    UnifiedJedis c = client;
    if (c == null || closed) {
      return;
    }
    try {
      for (Pool<Connection> pool : nodePools(c)) {
        pool.evict();
      }
    } catch (Exception e) {
      LOG.debug("testing idle Redis connections failed: {}", e.toString());
    }
  }

  /** The connection pools behind the client: one per node of a Cluster, the master's for Sentinel, else one. */
  private Collection<? extends Pool<Connection>> nodePools(UnifiedJedis c) {
    if (c instanceof JedisPooled) {
      return List.of(((JedisPooled) c).getPool());
    }
    if (c instanceof JedisCluster) {
      return ((JedisCluster) c).getClusterNodes().values();
    }
    SentineledConnectionProvider provider = sentinelProvider;
    if (provider != null) {
      return provider.getConnectionMap().values();
    }
    throw new IllegalStateException("no connection pools known for " + c.getClass().getName());
  }

  private UnifiedJedis acquire() throws RedisUnavailableException {
    return acquire(true);
  }

  private UnifiedJedis acquire(boolean guarded) throws RedisUnavailableException {
    if (closed) {
      throw new RedisUnavailableException("closed", null);
    }
    if (guarded && !breaker.allows()) {
      throw new RedisUnavailableException("circuit open: Redis " + config + " is skipped for now", null);
    }
    UnifiedJedis c = client;
    if (c != null) {
      if (guarded && breaker.isOpen()) {
        // this call is the probe of a half-open breaker: let it ask Redis itself, not fail on an idle connection
        // that the outage broke (each such failure doubles the open period; a busy pool holds dozens of them)
        dropIdleConnections(c);
      }
      return c;
    }
    try {
      if (!creating.tryLock(timeoutMs, TimeUnit.MILLISECONDS)) {
        IllegalStateException waited = new IllegalStateException("still connecting to Redis " + config);
        if (guarded && breaker.isOpen()) {
          // the probe of a half-open breaker: one that ends without a verdict would leave it open for good
          throw failed("connect", waited);
        }
        // no verdict on Redis: this caller waited for another one's connecting, which reports its own outcome (with
        // thousands of virtual threads, the one connecting may wait long for a carrier to run on)
        throw new RedisUnavailableException("connect skipped: " + waited.getMessage(), waited);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("connect", new IllegalStateException("interrupted while connecting to Redis " + config, e));
    }
    try {
      c = client;
      if (c == null) {
        try {
          c = create();
          firstConnection(c);
          client = c;
          LOG.info("connected to Redis {}", config);
        } catch (RuntimeException e) {
          throw failed("connect", e);
        }
      }
      return c;
    } finally {
      creating.unlock();
    }
  }

  /**
   * Opens the client's first connection (a PING) on this thread alone, before any other caller gets the client:
   * the first connection initialises JDK networking classes and loads the command path's classes, and callers that
   * open connections at the same time would wait for each other's class initialisation, which blocks a virtual
   * thread's carrier ({@code jdk.VirtualThreadPinned}: {@code java.net.ProxySelector}, {@code sun.nio.ch.Net}). A
   * failure only leaves that to the first commands, which report it.
   */
  private void firstConnection(UnifiedJedis c) {
    try {
      c.ping();
    } catch (RuntimeException e) {
      LOG.debug("first connection to Redis {} failed: {}", config, e.toString());
    }
  }

  /** Closes the client's idle pooled connections; the next calls open new ones. */
  private void dropIdleConnections(UnifiedJedis c) {
    try {
      for (Pool<Connection> pool : nodePools(c)) {
        pool.clear();
      }
    } catch (RuntimeException e) {
      LOG.debug("dropping idle Redis connections failed: {}", e.toString());
    }
  }

  private RedisUnavailableException failed(String what, Throwable cause) {
    breaker.onFailure(cause);
    return new RedisUnavailableException(what + " failed on Redis " + config + ": " + config.redact(cause.toString()),
        cause);
  }

  private UnifiedJedis create() {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(POOL_SIZE);
    pool.setMaxIdle(POOL_SIZE);
    pool.setMinIdle(0);
    pool.setBlockWhenExhausted(true);
    pool.setMaxWait(Duration.ofMillis(timeoutMs));
    pool.setTestOnBorrow(false);
    pool.setTestWhileIdle(true);
    // no commons-pool evictor thread (it would be a thread not named tiered-cache-*, shared with the host's own
    // pools): the cache's sweeper tests idle connections instead (testIdleConnections)
    pool.setTimeBetweenEvictionRuns(Duration.ofMillis(-1));
    pool.setJmxEnabled(false);
    if (config.url().isPresent()) {
      RedisUrl url = config.url().get();
      HostAndPort server = new HostAndPort(url.host(), url.port());
      DefaultJedisClientConfig client = dataNodeConfig().database(url.database()).build();
      return new JedisPooled(pool, new DeadlineSocketFactory(new DefaultJedisSocketFactory(server, client)), client);
    }
    Set<HostAndPort> nodes = new HashSet<>();
    for (String node : config.nodes()) {
      nodes.add(HostAndPort.from(node));
    }
    if (config.isCluster()) {
      return new JedisCluster(nodes, dataNodeConfig().build(), 2, Duration.ofMillis(timeoutMs * 2L), pool);
    }
    DefaultJedisClientConfig.Builder sentinelConfig = clientConfig();
    config.sentinelPassword().ifPresent(sentinelConfig::password);
    config.tls().ifPresent(tls -> tls.applyTo(sentinelConfig));
    SentineledConnectionProvider provider = new SentineledConnectionProvider(config.sentinelMaster().get(),
        dataNodeConfig().build(), pool, nodes, sentinelConfig.build());
    sentinelProvider = provider;
    return new JedisSentineled(provider);
  }

  /** The client settings of a server that holds data: credentials and TLS of the configuration. */
  private DefaultJedisClientConfig.Builder dataNodeConfig() {
    DefaultJedisClientConfig.Builder client = clientConfig();
    config.username().ifPresent(client::user);
    config.password().ifPresent(client::password);
    config.tls().ifPresent(tls -> tls.applyTo(client));
    return client;
  }

  private DefaultJedisClientConfig.Builder clientConfig() {
    return DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(timeoutMs)
        .socketTimeoutMillis(timeoutMs)
        .clientName("tiered-cache");
  }

  @Override
  public void close() {
    closed = true;
    UnifiedJedis c = client;
    client = null;
    if (c != null) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the Redis client failed: {}", e.toString());
      }
    }
  }
}
