package dev.tieredcache.runtime.testredis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A master, one replica ({@code --replicaof}) and one sentinel monitoring them as {@value #MASTER_NAME} with
 * quorum 1, {@code down-after-milliseconds 1000} and {@code failover-timeout 3000}, all on 127.0.0.1; ready (the
 * replica in sync, and known to the sentinel) when {@link #start()} returns. {@link #failover()} kills the master
 * and waits until the sentinel has promoted the replica.
 *
 * <pre>{@code
 * try (RedisSentinelGroup group = RedisSentinelGroup.start();
 *     JedisSentineled client = new JedisSentineled(group.masterName(), DefaultJedisClientConfig.builder().build(),
 *         group.sentinelHostAndPorts(), DefaultJedisClientConfig.builder().build())) {
 *   client.set("k", "v");
 *   group.failover();
 * }
 * }</pre>
 */
public final class RedisSentinelGroup implements AutoCloseable {

  public static final String MASTER_NAME = "mymaster";

  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SENTINEL_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(20);
  private static final int PROBE_TIMEOUT_MILLIS = 1000;

  /**
   * A master waits 5 s by default before a diskless full sync, for more replicas to join it; on both servers,
   * since either may be master after a failover.
   */
  private static final String[] NO_SYNC_DELAY = {"--repl-diskless-sync-delay", "0"};

  private final RedisServer sentinel;
  private volatile RedisServer master;
  private volatile RedisServer replica;

  private RedisSentinelGroup(RedisServer master, RedisServer replica, RedisServer sentinel) {
    this.master = master;
    this.replica = replica;
    this.sentinel = sentinel;
  }

  /**
   * Starts master and replica, waits until the master reports the replica in sync, then starts the sentinel and
   * waits until it names the master and has discovered the replica as a healthy failover candidate (up to 20 s).
   *
   * @throws IllegalStateException if a process does not start or the group does not get ready, quoting the logs;
   *     whatever was started is stopped again
   */
  public static RedisSentinelGroup start() {
    return start(null, null);
  }

  /**
   * Like {@link #start()}, but master and replica ask for {@code dataPassword} ({@code requirepass}, and
   * {@code masterauth} between them), and the sentinel for {@code sentinelPassword}; it knows the master's
   * ({@code sentinel auth-pass}).
   */
  public static RedisSentinelGroup startWithPasswords(String dataPassword, String sentinelPassword) {
    return start(dataPassword, sentinelPassword);
  }

  private static RedisSentinelGroup start(String dataPassword, String sentinelPassword) {
    List<RedisServer> started = new ArrayList<>();
    try {
      RedisServer master = dataServer("master", dataPassword).start();
      started.add(master);
      RedisServer replica = dataServer("replica", dataPassword)
          .args("--replicaof", master.host(), Integer.toString(master.port())).start();
      started.add(replica);
      Polling.await("the master " + master + " to report its replica " + replica + " in sync", SYNC_TIMEOUT,
          () -> {
            String replication = info(master, "replication");
            return replication.contains("connected_slaves:1") && replication.contains("state=online");
          }, () -> RedisServer.logTails(Arrays.asList(master, replica)));
      List<String> sentinelConfig = new ArrayList<>(Arrays.asList(
          "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 1",
          "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
          "sentinel failover-timeout " + MASTER_NAME + " 3000",
          "sentinel resolve-hostnames no"));
      if (dataPassword != null) {
        // quoted: the configuration file splits arguments at spaces
        sentinelConfig.add("sentinel auth-pass " + MASTER_NAME + " \"" + dataPassword.replace("\\", "\\\\")
            .replace("\"", "\\\"") + "\"");
      }
      RedisServer.Builder sentinelBuilder = RedisServer.builder().label("sentinel").sentinel(sentinelConfig);
      if (sentinelPassword != null) {
        sentinelBuilder.password(sentinelPassword);
      }
      RedisServer sentinel = sentinelBuilder.start();
      started.add(sentinel);
      RedisSentinelGroup group = new RedisSentinelGroup(master, replica, sentinel);
      group.awaitSentinelReady();
      return group;
    } catch (RuntimeException e) {
      RedisServer.closeAll(started, e);
      throw e;
    }
  }

  private static RedisServer.Builder dataServer(String label, String password) {
    RedisServer.Builder builder = RedisServer.builder().label(label).args(NO_SYNC_DELAY);
    if (password != null) {
      builder.password(password).args("--masterauth", password);
    }
    return builder;
  }

  /** {@value #MASTER_NAME}, the name clients ask the sentinel about. */
  public String masterName() {
    return MASTER_NAME;
  }

  /** The sentinel as {@code "127.0.0.1:port"}. */
  public List<String> sentinelNodes() {
    return Collections.singletonList(sentinel.address());
  }

  /** The sentinels in the form {@code JedisSentineled}'s constructors take. */
  public Set<HostAndPort> sentinelHostAndPorts() {
    return new LinkedHashSet<>(Collections.singletonList(sentinel.hostAndPort()));
  }

  /** The server that is master now: the one started as master, or after {@link #failover()} the promoted one. */
  public RedisServer master() {
    return master;
  }

  /**
   * The other data server: the one started as replica, or after {@link #failover()} the killed former master
   * (once {@link RedisServer#restart() restarted}, the sentinel turns it into a replica of the new master).
   */
  public RedisServer replica() {
    return replica;
  }

  public RedisServer sentinel() {
    return sentinel;
  }

  /**
   * Kills the master and waits (up to 20 s) until the sentinel names the replica as master and the replica
   * reports the master role; then {@link #master()} and {@link #replica()} swap.
   *
   * @throws IllegalStateException if the sentinel does not fail over in time, quoting the logs
   */
  public void failover() {
    RedisServer oldMaster = master;
    RedisServer promoted = replica;
    oldMaster.kill();
    Polling.await("the sentinel to promote " + promoted + " after killing " + oldMaster, FAILOVER_TIMEOUT,
        () -> promoted.port() == currentMasterPort() && info(promoted, "replication").contains("role:master"),
        () -> RedisServer.logTails(Arrays.asList(sentinel, promoted)));
    master = promoted;
    replica = oldMaster;
  }

  /** Stops all three processes; calling it again does nothing. */
  @Override
  public void close() {
    RuntimeException failure = RedisServer.closeAll(Arrays.asList(sentinel, master, replica), null);
    if (failure != null) {
      throw failure;
    }
  }

  private void awaitSentinelReady() {
    RedisServer expectedMaster = master;
    RedisServer expectedReplica = replica;
    Polling.await("the sentinel " + sentinel + " to monitor " + expectedMaster + " and know " + expectedReplica
        + " as a healthy replica", SENTINEL_TIMEOUT,
        () -> currentMasterPort() == expectedMaster.port() && knowsHealthyReplica(expectedReplica),
        () -> RedisServer.logTails(Arrays.asList(sentinel, expectedMaster, expectedReplica)));
  }

  private int currentMasterPort() {
    try (Jedis jedis = sentinel.client(PROBE_TIMEOUT_MILLIS)) {
      List<String> address = jedis.sentinelGetMasterAddrByName(MASTER_NAME);
      return address == null || address.size() < 2 ? -1 : Integer.parseInt(address.get(1));
    }
  }

  /** Listed by the sentinel with only the "slave" flag (not down or disconnected) and a working link. */
  private boolean knowsHealthyReplica(RedisServer expected) {
    try (Jedis jedis = sentinel.client(PROBE_TIMEOUT_MILLIS)) {
      for (Map<String, String> known : jedis.sentinelReplicas(MASTER_NAME)) {
        if (String.valueOf(expected.port()).equals(known.get("port"))) {
          return "slave".equals(known.get("flags")) && "ok".equals(known.get("master-link-status"));
        }
      }
      return false;
    }
  }

  private static String info(RedisServer server, String section) {
    try (Jedis jedis = server.client(PROBE_TIMEOUT_MILLIS)) {
      return jedis.info(section);
    }
  }
}
