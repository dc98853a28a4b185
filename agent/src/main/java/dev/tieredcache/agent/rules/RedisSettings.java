package dev.tieredcache.agent.rules;

import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisTls;
import dev.tieredcache.runtime.redis.RedisUrl;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code redis:} section of a rules file: how to reach Redis and log in. Exactly one of {@link #url()},
 * {@link #sentinelMaster()} (with {@link #sentinelNodes()}) or {@link #clusterNodes()} is given. Immutable; its
 * {@link #toString()} shows no password.
 */
public final class RedisSettings {

  /** A Redis call slower than this counts as failed. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
  /** The largest value read from or written to Redis unless {@code max-value-size} says otherwise. */
  static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

  private final String url;
  private final String sentinelMaster;
  private final List<String> sentinelNodes;
  private final String sentinelPassword;
  private final List<String> clusterNodes;
  private final String username;
  private final String password;
  private final RedisTls tls;
  private final Duration timeout;
  private final int maxValueSize;

  RedisSettings(String url, String sentinelMaster, List<String> sentinelNodes, String sentinelPassword,
      List<String> clusterNodes, String username, String password, RedisTls tls, Duration timeout) {
    this(url, sentinelMaster, sentinelNodes, sentinelPassword, clusterNodes, username, password, tls, timeout,
        DEFAULT_MAX_VALUE_SIZE);
  }

  RedisSettings(String url, String sentinelMaster, List<String> sentinelNodes, String sentinelPassword,
      List<String> clusterNodes, String username, String password, RedisTls tls, Duration timeout,
      int maxValueSize) {
    this.maxValueSize = maxValueSize;
    this.url = url;
    this.sentinelMaster = sentinelMaster;
    this.sentinelNodes = List.copyOf(sentinelNodes);
    this.sentinelPassword = sentinelPassword;
    this.clusterNodes = List.copyOf(clusterNodes);
    this.username = username;
    this.password = password;
    this.tls = tls;
    this.timeout = timeout;
  }

  /**
   * A {@code redis://} or {@code rediss://} (TLS) URL, maybe with {@code user:password@}; present for one server.
   * Never log it: {@link RedisUrl#mask} it.
   */
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

  /** {@code sentinel: {password: ...}}: what the sentinels themselves ask for. Never log it. */
  public Optional<String> sentinelPassword() {
    return Optional.ofNullable(sentinelPassword);
  }

  /** The Redis Cluster nodes as {@code host:port}; empty unless Redis is a cluster. */
  public List<String> clusterNodes() {
    return clusterNodes;
  }

  /** {@code username:}, the ACL user of every data node; absent for the default user (or one in the URL). */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** {@code password:}, for every data node; absent when not set (or given in the URL). Never log it. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** TLS settings: present for a {@code rediss://} URL or a {@code tls:} section. */
  public Optional<RedisTls> tls() {
    return Optional.ofNullable(tls);
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

  /** The runtime's settings for these: where Redis is, the log-ins of data nodes and sentinels, TLS, value size. */
  public RedisConfig toConfig() {
    RedisConfig config;
    if (url != null) {
      config = RedisConfig.url(url, timeout);
    } else if (sentinelMaster != null) {
      config = RedisConfig.sentinel(sentinelMaster, sentinelNodes, timeout).withSentinelPassword(sentinelPassword);
    } else {
      config = RedisConfig.cluster(clusterNodes, timeout);
    }
    if (username != null || password != null) {
      // the parser never lets a user or password be given twice (in url: and in username:/password:)
      config = config.withCredentials(username != null ? username : config.username().orElse(null),
          password != null ? password : config.password().orElse(null));
    }
    return config.withTls(tls).withMaxValueSize(maxValueSize);
  }

  /** Settings that name the same deployment, with the same log-ins, TLS and timeout, are equal. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RedisSettings)) {
      return false;
    }
    RedisSettings other = (RedisSettings) o;
    return Objects.equals(url, other.url) && Objects.equals(sentinelMaster, other.sentinelMaster)
        && sentinelNodes.equals(other.sentinelNodes) && Objects.equals(sentinelPassword, other.sentinelPassword)
        && clusterNodes.equals(other.clusterNodes) && Objects.equals(username, other.username)
        && Objects.equals(password, other.password) && Objects.equals(tls, other.tls)
        && timeout.equals(other.timeout) && maxValueSize == other.maxValueSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, sentinelMaster, sentinelNodes, clusterNodes, username, tls, timeout, maxValueSize);
  }

  /** Describes the settings without any password. */
  @Override
  public String toString() {
    String where;
    if (url != null) {
      where = RedisUrl.mask(url);
    } else if (sentinelMaster != null) {
      where = "sentinel " + sentinelMaster + " " + sentinelNodes + (sentinelPassword != null ? " (password ***)" : "");
    } else {
      where = "cluster " + clusterNodes;
    }
    if (username != null || password != null) {
      where += " as " + (username != null ? username : "default") + (password != null ? ":***" : "");
    }
    return "RedisSettings{" + where + (tls != null ? ", " + tls : "") + ", timeout=" + ValueSyntax.format(timeout)
        + ", max-value-size=" + maxValueSize + "B}";
  }
}
