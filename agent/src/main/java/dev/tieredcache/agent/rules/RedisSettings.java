package dev.tieredcache.agent.rules;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code redis:} section of a rules file: how to reach Redis. Exactly one of {@link #url()},
 * {@link #sentinelMaster()} (with {@link #sentinelNodes()}) or {@link #clusterNodes()} is given. Immutable.
 */
public final class RedisSettings {

  /** A Redis call slower than this counts as failed. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
  /** A larger value is neither read from Redis nor written to it. */
  static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

  private final String url;
  private final String sentinelMaster;
  private final List<String> sentinelNodes;
  private final List<String> clusterNodes;
  private final Duration timeout;
  private final int maxValueSize;

  RedisSettings(String url, String sentinelMaster, List<String> sentinelNodes, List<String> clusterNodes,
      Duration timeout) {
    this(url, sentinelMaster, sentinelNodes, clusterNodes, timeout, DEFAULT_MAX_VALUE_SIZE);
  }

  RedisSettings(String url, String sentinelMaster, List<String> sentinelNodes, List<String> clusterNodes,
      Duration timeout, int maxValueSize) {
    this.maxValueSize = maxValueSize;
    this.url = url;
    this.sentinelMaster = sentinelMaster;
    this.sentinelNodes = List.copyOf(sentinelNodes);
    this.clusterNodes = List.copyOf(clusterNodes);
    this.timeout = timeout;
  }

  /** A {@code redis://} or {@code rediss://} (TLS) URL, maybe with {@code user:password@}; present for one server. */
  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  /** The Sentinel master name; present when Redis is reached through Sentinel. */
  public Optional<String> sentinelMaster() {
    return Optional.ofNullable(sentinelMaster);
  }

  /** The Sentinel nodes as {@code host:port}; empty unless {@link #sentinelMaster()} is present. */
  public List<String> sentinelNodes() {
    return sentinelNodes;
  }

  /** The Redis Cluster nodes as {@code host:port}; empty unless Redis is a cluster. */
  public List<String> clusterNodes() {
    return clusterNodes;
  }

  /** A Redis call slower than this counts as failed and the caller goes on without it; 50ms unless set. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The largest value, in bytes, read from Redis or written to it (1MB unless set): a larger one is a miss when read
   * (not even transferred) and stays in memory only when written.
   */
  public int maxValueSize() {
    return maxValueSize;
  }

  /** Settings that name the same deployment with the same timeout and max-value-size are equal. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RedisSettings)) {
      return false;
    }
    RedisSettings other = (RedisSettings) o;
    return java.util.Objects.equals(url, other.url) && java.util.Objects.equals(sentinelMaster, other.sentinelMaster)
        && sentinelNodes.equals(other.sentinelNodes) && clusterNodes.equals(other.clusterNodes)
        && timeout.equals(other.timeout) && maxValueSize == other.maxValueSize;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(url, sentinelMaster, sentinelNodes, clusterNodes, timeout, maxValueSize);
  }

  /** Describes the settings without any password of the URL. */
  @Override
  public String toString() {
    String where;
    if (url != null) {
      where = url.replaceAll("//[^@/]*@", "//***@");
    } else if (sentinelMaster != null) {
      where = "sentinel " + sentinelMaster + " " + sentinelNodes;
    } else {
      where = "cluster " + clusterNodes;
    }
    return "RedisSettings{" + where + ", timeout=" + ValueSyntax.format(timeout) + ", max-value-size="
        + maxValueSize + "B}";
  }
}
