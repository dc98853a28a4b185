package dev.tieredcache.runtime.redis;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Redis is, how to log in and how long a call to it may take: one URL ({@code redis://}, {@code rediss://}
 * with TLS, {@code user:password@} allowed), a Sentinel group (master name and sentinel nodes), or Cluster nodes;
 * optionally an ACL user and password for every data node, a password for the sentinels, and TLS settings; and
 * how large a value it may hand over.
 * Immutable. Its {@link #toString()} never shows a password.
 */
public final class RedisConfig {

  private final RedisUrl url;
  private final String sentinelMaster;
  private final List<String> nodes;
  private final boolean cluster;
  private final Duration timeout;
  private final String username;
  private final String password;
  private final String sentinelPassword;
  private final RedisTls tls;
  private final int maxValueSize;

  /** The largest value read from or written to Redis unless {@link #withMaxValueSize} says otherwise: 1 MB. */
  public static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;

  private RedisConfig(RedisUrl url, String sentinelMaster, List<String> nodes, boolean cluster, Duration timeout,
      String username, String password, String sentinelPassword, RedisTls tls, int maxValueSize) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("redis timeout must be positive: " + timeout);
    }
    if (maxValueSize < 1) {
      throw new IllegalArgumentException("redis max-value-size must be at least 1 byte: " + maxValueSize);
    }
    this.maxValueSize = maxValueSize;
    this.url = url;
    this.sentinelMaster = sentinelMaster;
    this.nodes = List.copyOf(nodes);
    this.cluster = cluster;
    this.timeout = timeout;
    this.username = username;
    this.password = password;
    this.sentinelPassword = sentinelPassword;
    this.tls = tls;
  }

  /**
   * One Redis server (or a proxy) at {@code url}; its user and password, if it holds them, are the ones used, and
   * {@code rediss://} turns TLS on with {@link RedisTls#DEFAULT}.
   *
   * @throws IllegalArgumentException if the URL is malformed; the message shows it {@link RedisUrl#mask masked}
   */
  public static RedisConfig url(String url, Duration timeout) {
    RedisUrl parsed = RedisUrl.parse(Objects.requireNonNull(url, "url"));
    return new RedisConfig(parsed, null, List.of(), false, timeout, parsed.username().orElse(null),
        parsed.password().orElse(null), null, parsed.isTls() ? RedisTls.DEFAULT : null, DEFAULT_MAX_VALUE_SIZE);
  }

  /** The master named {@code master}, found through the sentinels at {@code sentinels} ("host:port"). */
  public static RedisConfig sentinel(String master, List<String> sentinels, Duration timeout) {
    return new RedisConfig(null, Objects.requireNonNull(master), sentinels, false, timeout, null, null, null, null,
        DEFAULT_MAX_VALUE_SIZE);
  }

  /** A Redis Cluster reached through any of {@code nodes} ("host:port"). */
  public static RedisConfig cluster(List<String> nodes, Duration timeout) {
    return new RedisConfig(null, null, nodes, true, timeout, null, null, null, null, DEFAULT_MAX_VALUE_SIZE);
  }

  /**
   * These settings, logging in to every data node (the server, the Sentinel-managed master, every Cluster node) as
   * {@code username} (null: the default user) with {@code password} (null: none). They replace those of the URL.
   */
  public RedisConfig withCredentials(String username, String password) {
    return new RedisConfig(url, sentinelMaster, nodes, cluster, timeout, emptyToNull(username),
        emptyToNull(password), sentinelPassword, tls, maxValueSize);
  }

  /** These settings, sending {@code password} (null: none) to the sentinels themselves. */
  public RedisConfig withSentinelPassword(String sentinelSecret) {
    return new RedisConfig(url, sentinelMaster, nodes, cluster, timeout, username, password,
        emptyToNull(sentinelSecret), tls, maxValueSize);
  }

  /** These settings with TLS as {@code tls} says, or without TLS when it is null. */
  public RedisConfig withTls(RedisTls tls) {
    return new RedisConfig(url, sentinelMaster, nodes, cluster, timeout, username, password, sentinelPassword, tls,
        maxValueSize);
  }

  /** These settings with another {@link #maxValueSize()}. */
  public RedisConfig withMaxValueSize(int bytes) {
    return new RedisConfig(url, sentinelMaster, nodes, cluster, timeout, username, password, sentinelPassword, tls,
        bytes);
  }

  /**
   * The largest value, in bytes (the whole stored entry, header included), that is read from Redis or written to
   * it; a larger one is not transferred at all: a miss when read, kept in memory only when written.
   */
  public int maxValueSize() { return maxValueSize; }

  public Optional<RedisUrl> url() { return Optional.ofNullable(url); }
  public Optional<String> sentinelMaster() { return Optional.ofNullable(sentinelMaster); }
  /** The sentinel or cluster nodes, "host:port". */
  public List<String> nodes() { return nodes; }
  public boolean isCluster() { return cluster; }
  /** A Redis call slower than this counts as failed; the caller goes on without it. */
  public Duration timeout() { return timeout; }
  /** The ACL user of every data node; absent for the default user. */
  public Optional<String> username() { return Optional.ofNullable(username); }
  /** The password of every data node. Never log it. */
  public Optional<String> password() { return Optional.ofNullable(password); }
  /** The password of the sentinels. Never log it. */
  public Optional<String> sentinelPassword() { return Optional.ofNullable(sentinelPassword); }
  /** TLS settings; absent when connections are plain. */
  public Optional<RedisTls> tls() { return Optional.ofNullable(tls); }

  /**
   * {@code text} with every password of these settings replaced by {@code ***}: for messages that quote what a
   * client library or server said, which these settings do not control.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : new String[] {password, sentinelPassword}) {
      if (secret != null && !secret.isEmpty()) {
        redacted = redacted.replace(secret, "***");
      }
    }
    return redacted;
  }

  /** A description without secrets, for logs. */
  @Override
  public String toString() {
    String where = url != null ? url.toString()
        : (cluster ? "cluster " : "sentinel " + sentinelMaster + " via ") + nodes;
    boolean inUrl = url != null && (url.username().isPresent() || url.password().isPresent());
    if (!inUrl && (username != null || password != null)) {
      where += " as " + (username != null ? username : "default") + (password != null ? ":***" : "");
    }
    if (tls != null && (url == null || !url.isTls() || !tls.equals(RedisTls.DEFAULT))) {
      where += " (" + tls + ")";
    }
    return where;
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
