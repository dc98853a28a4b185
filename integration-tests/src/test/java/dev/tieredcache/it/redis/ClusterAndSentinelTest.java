package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.ContinuousLoadApp;
import dev.tieredcache.it.redisapps.ManyKeysApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.testredis.RedisCluster;
import dev.tieredcache.runtime.testredis.RedisSentinelGroup;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * The other two ways to reach Redis: a Cluster of three masters and a Sentinel group. One JVM loads, the next reads
 * every value with zero upstream calls; with Sentinel, a failover under load costs no call.
 */
class ClusterAndSentinelTest {

  private static final String PRICE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";
  private static final int KEYS = 30;

  @TempDir
  Path dir;

  @Test
  void valuesLoadedThroughAClusterAreReadByTheNextJvmWithoutUpstreamCalls() {
    try (RedisCluster cluster = RedisCluster.start();
        JedisCluster client = new JedisCluster(cluster.hostAndPorts())) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: cl",
              "redis: {cluster: [" + String.join(", ", cluster.nodes()) + "], timeout: 500ms}",
              "rules:",
              "  - name: price",
              "    method: " + PRICE_METHOD,
              "    key: \"{0}\"");
      long waited = loadAndAwaitKeys(jvm, key -> client.exists(key), "cl");
      List<Long> perNode = new ArrayList<>();
      for (RedisServer node : cluster.servers()) {
        try (Jedis jedis = new Jedis(node.host(), node.port())) {
          perNode.add(jedis.dbSize());
        }
      }
      System.out.println("FIGURE cluster: " + KEYS + " keys in the cluster " + waited + " ms after the last load,"
          + " keys per master " + perNode);
      assertThat(perNode).as("keys on each of the three masters: the keys are spread by slot").allMatch(n -> n > 0);

      ForkedRun reader = jvm.run(ManyKeysApp.class, String.valueOf(KEYS));
      reader.assertHealthyAgent();
      assertThat(reader.longResult("upstreamCalls")).as(reader.context("upstream calls of the reading JVM"))
          .isZero();
      assertThat(reader.longResult("wrongValues")).as(reader.context("values unlike <sku>@v1")).isZero();
    }
  }

  @Test
  void valuesLoadedThroughSentinelAreReadByTheNextJvmAndAFailoverCostsNoCall() {
    try (RedisSentinelGroup group = RedisSentinelGroup.start()) {
      String redisSection = "redis: {sentinel: {master: " + group.masterName() + ", nodes: ["
          + String.join(", ", group.sentinelNodes()) + "]}, timeout: 500ms}";
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: sn",
              redisSection,
              "rules:",
              "  - name: price",
              "    method: " + PRICE_METHOD,
              "    key: \"{0}\"");
      RedisServer master = group.master();
      long waited;
      try (Jedis jedis = new Jedis(master.host(), master.port())) {
        waited = loadAndAwaitKeys(jvm, jedis::exists, "sn");
      }
      ForkedRun reader = jvm.run(ManyKeysApp.class, String.valueOf(KEYS));
      reader.assertHealthyAgent();
      assertThat(reader.longResult("upstreamCalls")).as(reader.context("upstream calls of the reading JVM"))
          .isZero();
      assertThat(reader.longResult("wrongValues")).as(reader.context("values unlike <sku>@v1")).isZero();

      // a failover while an app keeps loading (ttl 100ms, so every call soon loads and writes)
      Path failoverDir = dir.resolve("failover");
      SignalFiles signals = SignalFiles.in(failoverDir);
      ForkedJvm busy = ForkedJvm.on(TestJdk.testJvm(), createDirectory(failoverDir))
          .rules("namespace: snf",
              redisSection,
              "rules:",
              "  - name: price",
              "    method: " + PRICE_METHOD,
              "    key: \"{0}\"",
              "    ttl: 100ms",
              "    jitter: 0%",
              "    stale-while-revalidate: 0s");
      ForkedRun run;
      long failoverMillis;
      long landedAfter = -1;
      try (RunningApp app = new RunningApp("ContinuousLoadApp",
          busy.runInBackground(ContinuousLoadApp.class, "failover", "failedOver"), signals, "stop")) {
        app.awaitSignal("running", Duration.ofSeconds(20));
        RunningApp.sleep(1_000);
        signals.raise("failover");
        long failoverStarted = System.nanoTime();
        group.failover();
        long failedOver = System.currentTimeMillis();
        failoverMillis = (System.nanoTime() - failoverStarted) / 1_000_000;
        signals.raise("failedOver");
        RedisServer promoted = group.master();
        try (Jedis jedis = new Jedis(promoted.host(), promoted.port())) {
          long deadline = System.nanoTime() + 15_000_000_000L;
          while (landedAfter < 0 && System.nanoTime() - deadline < 0) {
            landedAfter = writtenSince(jedis, "snf:price:*", failedOver);
            RunningApp.sleep(20);
          }
        }
        RunningApp.sleep(500);
        signals.raise("stop");
        run = app.finish(Duration.ofSeconds(30));
      }

      System.out.println("FIGURE sentinel: " + KEYS + " keys on the master " + waited + " ms after the last load,"
          + " reader upstream calls " + reader.result("upstreamCalls") + "; failover took " + failoverMillis
          + " ms, calls before/during/after " + run.result("calls.running") + "/" + run.result("calls.failover")
          + "/" + run.result("calls.failedOver") + ", failures " + run.result("failures") + ", slowest call (us)"
          + " during/after " + run.result("maxMicros.failover") + "/" + run.result("maxMicros.failedOver")
          + ", first write on the promoted master " + landedAfter + " ms after the failover");
      run.assertHealthyAgent();
      assertThat(run.longResult("failures")).as(run.context("calls that threw around the failover")).isZero();
      assertThat(run.longResult("wrongValues")).as(run.context("calls that returned another value")).isZero();
      assertThat(run.longResult("calls.failover")).as(run.context("calls while the master was down")).isPositive();
      assertThat(landedAfter).as(run.context("ms after the failover until a write reached the promoted master"
          + " (-1: not within 15 s)")).isNotNegative();
    }
  }

  /**
   * Runs {@link ManyKeysApp} to load {@value #KEYS} keys, keeps it alive until they all exist in Redis (its writes
   * are in the background; what is still queued when a JVM exits is lost), and returns how long that took (ms).
   */
  private long loadAndAwaitKeys(ForkedJvm jvm, Predicate<String> exists, String namespace) {
    SignalFiles signals = SignalFiles.in(dir);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      keys.add(namespace + ":price:sku-" + i);
    }
    ForkedRun loader;
    long waited;
    try (RunningApp loading = new RunningApp("ManyKeysApp", jvm.runInBackground(ManyKeysApp.class,
        String.valueOf(KEYS), "hold"), signals, "release")) {
      loading.awaitSignal("loaded", Duration.ofSeconds(30));
      long loaded = System.nanoTime();
      while (!keys.stream().allMatch(exists) && System.nanoTime() - loaded < 5_000_000_000L) {
        RunningApp.sleep(5);
      }
      waited = (System.nanoTime() - loaded) / 1_000_000;
      signals.raise("release");
      loader = loading.finish(Duration.ofSeconds(30));
    }
    loader.assertHealthyAgent();
    assertThat(loader.longResult("upstreamCalls")).as(loader.context("upstream calls of the loading JVM"))
        .isEqualTo(KEYS);
    assertThat(keys).as(loader.context("keys in Redis 5 s after the loading JVM's last load"))
        .allMatch(exists);
    return waited;
  }

  /** Milliseconds from {@code since} to now if a key matching {@code pattern} was written after it, else -1. */
  private static long writtenSince(Jedis jedis, String pattern, long since) {
    for (String key : jedis.keys(pattern)) {
      byte[] bytes = jedis.get(key.getBytes(StandardCharsets.UTF_8));
      if (bytes != null && StoredEntries.decode(bytes, String.class).writtenAt() > since) {
        return System.currentTimeMillis() - since;
      }
    }
    return -1;
  }

  private static Path createDirectory(Path path) {
    try {
      return Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
