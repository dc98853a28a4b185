package dev.tieredcache.runtime.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is and how long a call to it may take: one URL ({@code redis://}, {@code rediss://} with TLS,
 * {@code user:password@} allowed), a Sentinel group (master name and sentinel nodes), or Cluster nodes.
 */
public final class RedisConfig {

  private final String url;
  private final String sentinelMaster;
  private final List<String> nodes;
  private final boolean cluster;
  private final Duration timeout;

  private RedisConfig(String url, String sentinelMaster, List<String> nodes, boolean cluster, Duration timeout) {
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

  /** A description without secrets, for logs. */
  @Override
  public String toString() {
    if (url != null) {
      return url.replaceAll("//[^@/]*@", "//***@");
    }
    return (cluster ? "cluster " : "sentinel " + sentinelMaster + " via ") + nodes;
  }
}
