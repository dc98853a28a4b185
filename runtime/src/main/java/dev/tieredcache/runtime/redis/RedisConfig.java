package dev.tieredcache.runtime.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is, how long a call to it may take and how large a value it may hand over: one URL ({@code redis://},
 * {@code rediss://} with TLS, {@code user:password@} allowed), a Sentinel group (master name and sentinel nodes), or
 * Cluster nodes.
 */
public final class RedisConfig {

  private final String url;
  private final String sentinelMaster;
  private final List<String> nodes;
  private final boolean cluster;
  private final Duration timeout;
  private final int maxValueSize;

  /** The largest value read from or written to Redis unless {@link #withMaxValueSize} says otherwise: 1 MB. */
  public static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

  private RedisConfig(String url, String sentinelMaster, List<String> nodes, boolean cluster, Duration timeout) {
    this(url, sentinelMaster, nodes, cluster, timeout, DEFAULT_MAX_VALUE_SIZE);
  }

  private RedisConfig(String url, String sentinelMaster, List<String> nodes, boolean cluster, Duration timeout,
      int maxValueSize) {
    if (maxValueSize < 1) {
      throw new IllegalArgumentException("redis max-value-size must be at least 1 byte: " + maxValueSize);
    }
    this.maxValueSize = maxValueSize;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("redis timeout must be positive: " + timeout);
    }
    this.url = url;
    this.sentinelMaster = sentinelMaster;
    this.nodes = List.copyOf(nodes);
    this.cluster = cluster;
    this.timeout = timeout;
  }

  /** One Redis server (or a proxy) at {@code url}. */
  public static RedisConfig url(String url, Duration timeout) {
    return new RedisConfig(Objects.requireNonNull(url), null, List.of(), false, timeout);
  }

  /** The master named {@code master}, found through the sentinels at {@code sentinels} ("host:port"). */
  public static RedisConfig sentinel(String master, List<String> sentinels, Duration timeout) {
    return new RedisConfig(null, Objects.requireNonNull(master), sentinels, false, timeout);
  }

  /** A Redis Cluster reached through any of {@code nodes} ("host:port"). */
  public static RedisConfig cluster(List<String> nodes, Duration timeout) {
    return new RedisConfig(null, null, nodes, true, timeout);
  }

  public Optional<String> url() { return Optional.ofNullable(url); }
  public Optional<String> sentinelMaster() { return Optional.ofNullable(sentinelMaster); }
  /** The sentinel or cluster nodes, "host:port". */
  public List<String> nodes() { return nodes; }
  public boolean isCluster() { return cluster; }
  /** A Redis call slower than this counts as failed; the caller goes on without it. */
  public Duration timeout() { return timeout; }
  /**
   * The largest value, in bytes (the whole stored entry, header included), that is read from Redis or written to
   * it; a larger one is not transferred at all: a miss when read, kept in memory only when written.
   */
  public int maxValueSize() { return maxValueSize; }

  /** The same deployment and timeout with another {@link #maxValueSize()}. */
  public RedisConfig withMaxValueSize(int bytes) {
    return new RedisConfig(url, sentinelMaster, nodes, cluster, timeout, bytes);
  }

  /** A description without secrets, for logs. */
  @Override
  public String toString() {
    if (url != null) {
      return url.replaceAll("//[^@/]*@", "//***@");
    }
    return (cluster ? "cluster " : "sentinel " + sentinelMaster + " via ") + nodes;
  }
}
