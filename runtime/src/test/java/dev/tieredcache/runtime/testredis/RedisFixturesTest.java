package dev.tieredcache.runtime.testredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** The fixtures keep their promises: real processes that fail on demand, and none left behind. */
class RedisFixturesTest {

  private static final JedisClientConfig CLIENT = DefaultJedisClientConfig.builder()
      .connectionTimeoutMillis(1000).socketTimeoutMillis(1000).build();

  // --- standalone server

  @Test
  void aStartedServerAnswersOnItsAdvertisedAddress() {
    try (RedisServer redis = RedisServer.start();
        Jedis jedis = new Jedis(redis.hostAndPort(), CLIENT)) {
      assertThat(jedis.set("k", "v")).isEqualTo("OK");
      assertThat(jedis.get("k")).isEqualTo("v");
      assertThat(redis.port()).isNotEqualTo(6379);
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(redis.isRunning()).isTrue();
      assertThat(jedis.configGet("save")).containsEntry("save", "");
      assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "no");
      assertThat(jedis.configGet("dir").get("dir")).isEqualTo(redis.directory().toString());
    }
  }

  @Test
  void aKilledServerRefusesConnectionsAndRestartsEmptyOnTheSamePort() {
    try (RedisServer redis = RedisServer.start()) {
      set(redis, "k", "v");
      int port = redis.port();
      long pid = redis.pid();

      redis.kill();

      assertThat(redis.isRunning()).isFalse();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
      assertThatThrownBy(() -> get(redis, "k")).isInstanceOf(JedisConnectionException.class);

      redis.restart();

      assertThat(redis.isRunning()).isTrue();
      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.pid()).isNotEqualTo(pid);
      assertThat(get(redis, "k")).isNull();
      assertThat(redis.logTail()).contains("fixture starts").contains("Ready to accept connections");
    }
  }

  @Test
  void aPausedServerTimesOutUntilResumed() {
    JedisClientConfig impatient = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(200).socketTimeoutMillis(200).build();
    try (RedisServer redis = RedisServer.start();
        Jedis connectedBefore = new Jedis(redis.hostAndPort(), impatient)) {
      connectedBefore.set("k", "v");

      redis.pause();

      assertThat(redis.isPaused()).isTrue();
      assertThat(redis.isRunning()).isTrue();
      long started = System.nanoTime();
      assertThatThrownBy(() -> connectedBefore.get("k"))
          .isInstanceOf(JedisConnectionException.class)
          .hasRootCauseInstanceOf(SocketTimeoutException.class);
      // the kernel still accepts connections; the client times out in its handshake (CLIENT SETINFO)
      assertThatThrownBy(() -> new Jedis(redis.hostAndPort(), impatient).close())
          .isInstanceOf(JedisConnectionException.class)
          .hasRootCauseInstanceOf(SocketTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

      redis.resume();

      assertThat(redis.isPaused()).isFalse();
      try (Jedis jedis = new Jedis(redis.hostAndPort(), impatient)) {
        assertThat(jedis.get("k")).isEqualTo("v");
      }
    }
  }

  @Test
  void aServerWithAPasswordRefusesClientsWithoutIt() {
    try (RedisServer redis = RedisServer.builder().password("s3cret").start()) {
      assertThat(redis.password()).contains("s3cret");
      assertThatThrownBy(() -> get(redis, "k")).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
      try (Jedis jedis = new Jedis(redis.hostAndPort(),
          DefaultJedisClientConfig.builder().password("s3cret").build())) {
        assertThat(jedis.ping()).isEqualTo("PONG");
      }
    }
  }

  @Test
  void extraArgumentsReachTheServer() {
    try (RedisServer redis = RedisServer.builder().args("--maxmemory", "10mb").start();
        Jedis jedis = new Jedis(redis.hostAndPort(), CLIENT)) {
      assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", Long.toString(10L * 1024 * 1024));
    }
  }

  @Test
  void closeKillsEvenAPausedServerDeletesItsDirectoryAndCanBeRepeated() {
    RedisServer redis = RedisServer.start();
    long pid = redis.pid();
    Path directory = redis.directory();
    redis.pause();

    redis.close();
    redis.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(directory).doesNotExist();
    assertThat(redis.isRunning()).isFalse();
    assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aServerThatCannotStartNamesItsCommandLineAndQuotesItsLog() {
    assertThatThrownBy(() -> RedisServer.builder().args("--no-such-directive", "yes").start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start")
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("command: redis-server --port ")
        .hasMessageContaining("--save '' --appendonly no --no-such-directive yes")
        .hasMessageContaining("Bad directive or wrong number of arguments");
  }

  @Test
  void aFailingRedisCliNamesItsCommandLineAndQuotesItsOutput() {
    try (RedisServer notAClusterNode = RedisServer.start()) {
      String node = notAClusterNode.address();
      List<String> command = Arrays.asList("redis-cli", "--cluster", "create", node, node, node,
          "--cluster-replicas", "0", "--cluster-yes");

      assertThatThrownBy(() -> ExternalCommand.run(Duration.ofSeconds(10), command))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exit code 1: " + String.join(" ", command))
          .hasMessageContaining("[ERR] Node " + node + " is not configured as a cluster node")
          .hasMessageNotContaining("\u001B[");
    }
  }

  /** Runs {@link ServerInAnotherJvm} in a child JVM, ends that JVM and checks that its redis-server went too. */
  @ParameterizedTest(name = "JVM ends by {0}")
  @ValueSource(strings = {"exit", "sigkill"})
  void noServerOutlivesItsJvm(String ending, @TempDir Path scratch) throws Exception {
    Path pidFile = scratch.resolve("redis.pid");
    Path output = scratch.resolve("child.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ServerInAnotherJvm.class.getName(), pidFile.toString(), ending)
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      Polling.await("the child JVM to start redis-server", Duration.ofSeconds(15),
          () -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank(), () -> readQuietly(output));
      long redisPid = Long.parseLong(Files.readString(pidFile).trim());
      if (ending.equals("sigkill")) {
        child.destroyForcibly();
      }
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child JVM exited").isTrue();

      Polling.await("redis-server " + redisPid + " to die with its JVM", Duration.ofSeconds(5),
          () -> !ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false), () -> readQuietly(output));
    } finally {
      child.destroyForcibly();
    }
  }

  /** The child of {@link #noServerOutlivesItsJvm}: args are the pid file and how to end ("exit" or wait). */
  static final class ServerInAnotherJvm {
    public static void main(String[] args) throws Exception {
      RedisServer redis = RedisServer.start();
      Path pidFile = Path.of(args[0]);
      Path partial = Path.of(args[0] + ".tmp");
      Files.writeString(partial, Long.toString(redis.pid()));
      Files.move(partial, pidFile);
      if (args[1].equals("exit")) {
        System.exit(0);
      }
      Thread.sleep(60_000);
    }
  }

  // --- cluster

  @Test
  void aClusterClientSpreadsKeysOverAllThreeMasters() {
    try (RedisCluster cluster = RedisCluster.start();
        JedisCluster client = new JedisCluster(cluster.hostAndPorts(), CLIENT)) {
      assertThat(cluster.nodes()).hasSize(3).allMatch(node -> node.startsWith("127.0.0.1:"));
      for (int i = 0; i < 100; i++) {
        client.set("key-" + i, "value-" + i);
      }
      for (int i = 0; i < 100; i++) {
        assertThat(client.get("key-" + i)).isEqualTo("value-" + i);
      }
      List<Long> keysPerNode = new ArrayList<>();
      for (RedisServer node : cluster.servers()) {
        try (Jedis jedis = new Jedis(node.hostAndPort(), CLIENT)) {
          keysPerNode.add(jedis.dbSize());
        }
      }
      assertThat(keysPerNode).allMatch(keys -> keys > 0);
      assertThat(keysPerNode.stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    }
  }

  // --- sentinel

  @Test
  void aSentinelClientWritesAgainAfterFailover() {
    try (RedisSentinelGroup group = RedisSentinelGroup.start();
        JedisSentineled client = new JedisSentineled(group.masterName(), CLIENT, group.sentinelHostAndPorts(),
            CLIENT)) {
      RedisServer original = group.master();
      RedisServer promoted = group.replica();
      assertThat(group.sentinelNodes()).containsExactly(group.sentinel().address());
      assertThat(client.set("before", "1")).isEqualTo("OK");
      assertThat(client.getCurrentMaster().getPort()).isEqualTo(original.port());

      group.failover();

      assertThat(group.master()).isSameAs(promoted);
      assertThat(group.replica()).isSameAs(original);
      assertThat(original.isRunning()).isFalse();
      Polling.await("the sentinel client to write to the new master", Duration.ofSeconds(20), () -> {
        try {
          return "OK".equals(client.set("after", "2"));
        } catch (JedisException e) {
          return false;
        }
      }, () -> "  client's master: " + client.getCurrentMaster());
      assertThat(client.getCurrentMaster().getPort()).isEqualTo(promoted.port());
      assertThat(get(promoted, "after")).isEqualTo("2");
    }
  }

  private static void set(RedisServer redis, String key, String value) {
    try (Jedis jedis = new Jedis(redis.hostAndPort(), CLIENT)) {
      jedis.set(key, value);
    }
  }

  private static String get(RedisServer redis, String key) {
    try (Jedis jedis = new Jedis(redis.hostAndPort(), CLIENT)) {
      return jedis.get(key);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
