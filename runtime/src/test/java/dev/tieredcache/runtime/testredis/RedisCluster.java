package dev.tieredcache.runtime.testredis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A Redis Cluster of three masters without replicas on 127.0.0.1, the 16384 slots split between them by
 * {@code redis-cli --cluster create}; ready ({@code cluster_state:ok} on every node) when {@link #start()}
 * returns. Each node is a {@link RedisServer} in its own directory with {@code --cluster-node-timeout 2000}, so a
 * test can kill, pause or restart one. {@link #close()} stops them all.
 *
 * <pre>{@code
 * try (RedisCluster cluster = RedisCluster.start();
 *     JedisCluster client = new JedisCluster(cluster.hostAndPorts())) {
 *   client.set("k", "v");
 * }
 * }</pre>
 */
public final class RedisCluster implements AutoCloseable {

  private static final int MASTERS = 3;
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  private final List<RedisServer> servers;

  private final String password;

  private RedisCluster(List<RedisServer> servers, String password) {
    this.servers = Collections.unmodifiableList(servers);
    this.password = password;
  }

  /**
   * Starts three cluster-enabled servers, joins them with {@code redis-cli --cluster create} and waits until every
   * node reports {@code cluster_state:ok} (up to 20 s).
   *
   * @throws IllegalStateException if a node or redis-cli fails, naming the command line and quoting its output
   *     or log; whatever was started is stopped again
   */
  public static RedisCluster start() {
    return start(null);
  }

  /** Like {@link #start()}, but every node asks for {@code password} ({@code requirepass} and {@code masterauth}). */
  public static RedisCluster startWithPassword(String password) {
    return start(password);
  }

  private static RedisCluster start(String password) {
    List<RedisServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        RedisServer.Builder node = RedisServer.builder()
            .label("cluster-node")
            .clusterBusPort()
            .portArgs(port -> Arrays.asList("--cluster-enabled", "yes",
                "--cluster-config-file", "nodes-" + port + ".conf",
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis())));
        if (password != null) {
          node.password(password).args("--masterauth", password);
        }
        servers.add(node.start());
      }
      RedisCluster cluster = new RedisCluster(servers, password);
      cluster.create();
      cluster.awaitStateOk();
      return cluster;
    } catch (RuntimeException e) {
      RedisServer.closeAll(servers, e);
      throw e;
    }
  }

  /** The nodes as {@code "127.0.0.1:port"}, in start order. */
  public List<String> nodes() {
    List<String> nodes = new ArrayList<>();
    for (RedisServer server : servers) {
      nodes.add(server.address());
    }
    return nodes;
  }

  /** The nodes in the form {@code JedisCluster}'s constructors take. */
  public Set<HostAndPort> hostAndPorts() {
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    for (RedisServer server : servers) {
      nodes.add(server.hostAndPort());
    }
    return nodes;
  }

  /** The node processes, in the order of {@link #nodes()}. */
  public List<RedisServer> servers() {
    return servers;
  }

  /** Stops every node; calling it again does nothing. */
  @Override
  public void close() {
    RuntimeException failure = RedisServer.closeAll(servers, null);
    if (failure != null) {
      throw failure;
    }
  }

  private void create() {
    List<String> command = new ArrayList<>(Arrays.asList("redis-cli", "--cluster", "create"));
    command.addAll(nodes());
    command.addAll(Arrays.asList("--cluster-replicas", "0", "--cluster-yes"));
    if (password != null) {
      command.addAll(Arrays.asList("-a", password, "--no-auth-warning"));
    }
    try {
      ExternalCommand.run(CREATE_TIMEOUT, command);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cannot create the cluster: " + e.getMessage() + "\n"
          + RedisServer.logTails(servers), e);
    }
  }

  private void awaitStateOk() {
    Polling.await("cluster_state:ok on every node of " + nodes(), READY_TIMEOUT, () -> {
      for (RedisServer server : servers) {
        if (!clusterInfo(server).contains("cluster_state:ok")) {
          return false;
        }
      }
      return true;
    }, this::states);
  }

  private static String clusterInfo(RedisServer server) {
    try (Jedis jedis = server.client(1000)) {
      return jedis.clusterInfo();
    }
  }

  /** Each node's cluster_state line (or why it could not be read) and log tail. */
  private String states() {
    StringBuilder states = new StringBuilder();
    for (RedisServer server : servers) {
      String state;
      try {
        state = clusterInfo(server).lines().filter(line -> line.startsWith("cluster_state")).findFirst()
            .orElse("no cluster_state line").trim();
      } catch (RuntimeException e) {
        state = e.toString();
      }
      states.append("  ").append(server.address()).append(": ").append(state).append('\n');
    }
    return states + RedisServer.logTails(servers);
  }
}
