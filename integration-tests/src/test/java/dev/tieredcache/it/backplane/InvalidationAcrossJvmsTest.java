package dev.tieredcache.it.backplane;

import static dev.tieredcache.it.backplane.JvmWaits.PHASE;
import static dev.tieredcache.it.backplane.JvmWaits.await;
import static dev.tieredcache.it.backplane.JvmWaits.awaitSignal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.apps.Product;
import dev.tieredcache.it.backplaneapps.FileProductRepository;
import dev.tieredcache.it.backplaneapps.SaveAndReadApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.backplane.MalformedMessageException;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;

/**
 * Three JVMs of one application with the agent, {@code backplane: true}, sharing Redis and a database: each holds
 * p1 in memory, JVM 1 saves p1 (its evict rule runs), and JVMs 2 and 3 serve the new name on their very next read,
 * although their own copies were fresh for minutes more.
 */
class InvalidationAcrossJvmsTest {

  private static final String NAMESPACE = "shop";
  private static final String CHANNEL = NAMESPACE + ":backplane";
  private static final int JVMS = 3;

  @TempDir
  Path dir;

  @Test
  void aSaveInOneJvmMakesTheOtherJvmsServeTheNewValueOnTheirNextRead() throws Exception {
    SignalFiles signals = SignalFiles.in(dir);
    FileProductRepository.write(dir.resolve("products"), new Product("p1", "kettle"));
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port(), 2_000)) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: " + NAMESPACE,
              "redis: {url: " + redis.url() + ", timeout: 500ms}",
              "backplane: true",
              "defaults:",
              "  ttl: 10m",
              "rules:",
              "  - name: product",
              "    method: dev.tieredcache.it.apps.ProductRepository+#findById(java.lang.String)",
              "    key: \"{0}\"",
              "  - name: product-saved",
              "    method: dev.tieredcache.it.apps.ProductRepository+#save(dev.tieredcache.it.apps.Product)",
              "    evict: {rule: product, key: \"{0.id}\"}");
      List<CompletableFuture<ForkedRun>> runs = new ArrayList<>();
      runs.add(jvm.runInBackground(SaveAndReadApp.class, "jvm-1", "saver", "steel kettle"));
      for (int i = 2; i <= JVMS; i++) {
        runs.add(jvm.runInBackground(SaveAndReadApp.class, "jvm-" + i));
      }
      for (int i = 1; i <= JVMS; i++) {
        awaitSignal(signals, "started-jvm-" + i, runs);
      }
      // from here on no JVM misses a message (and none marks what it reads next stale for a late first subscribe)
      await("all three JVMs subscribed to " + CHANNEL, runs, () -> subscribers(jedis) == JVMS);

      try (ChannelWatch watch = ChannelWatch.start(redis)) {
        await("the test's own subscription", runs, () -> subscribers(jedis) == JVMS + 1);
        // one after the other: JVM 1 loads p1 and writes it to Redis, JVMs 2 and 3 take it from there
        for (int i = 1; i <= JVMS; i++) {
          signals.raise("read-jvm-" + i);
          awaitSignal(signals, "has-read-jvm-" + i, runs);
          if (i == 1) {
            await("p1 in Redis", runs, () -> jedis.exists(NAMESPACE + ":product:p1"));
          }
        }

        signals.raise("save");
        awaitSignal(signals, "saved", runs);
        long saved = System.nanoTime();
        await("JVM 1's eviction of p1 on " + CHANNEL, runs, () -> watch.saw(BackplaneMessage.Action.EVICT, "p1"));
        System.out.println("[backplane] JVM 1's eviction seen on the channel "
            + TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - saved) + " us after its save returned");
        // JVMs 2 and 3 received it at the same moment as the test; a margin for them to apply it
        Thread.sleep(200);
        signals.raise("read-again");
      }

      List<ForkedRun> finished = new ArrayList<>();
      for (CompletableFuture<ForkedRun> run : runs) {
        finished.add(run.get(PHASE.toMillis(), TimeUnit.MILLISECONDS));
      }
      for (int i = 0; i < JVMS; i++) {
        ForkedRun run = finished.get(i);
        String name = "JVM " + (i + 1);
        run.assertHealthyAgent();
        assertThat(run.stderr()).as(run.context(name + ": the agent's start line names the backplane"))
            .anyMatch(line -> line.contains("backplane " + CHANNEL));
        assertThat(run.result("firstRead")).as(run.context(name + ": p1 before the save")).isEqualTo("kettle");
        assertThat(run.result("secondRead")).as(run.context(name + ": p1 read again")).isEqualTo("kettle");
        assertThat(run.result("readAfterSave")).as(run.context(name + ": p1 read after JVM 1 saved it"))
            .isEqualTo("steel kettle");
      }
      assertThat(finished.get(0).longResult("upstreamCallsBeforeSave"))
          .as(finished.get(0).context("JVM 1 loaded p1 once, then held it")).isEqualTo(1);
      long loadsAfterSave = 0;
      for (int i = 1; i < JVMS; i++) {
        ForkedRun run = finished.get(i);
        assertThat(run.longResult("upstreamCallsBeforeSave"))
            .as(run.context("JVM " + (i + 1) + " took p1 from Redis, then held it")).isZero();
      }
      for (ForkedRun run : finished) {
        loadsAfterSave += run.longResult("upstreamCallsAfterSave") - run.longResult("upstreamCallsBeforeSave");
      }
      System.out.println("[backplane] after the save the three JVMs called findById " + loadsAfterSave
          + " time(s) in all (a JVM that did not call it took the new value from Redis)");
      // the first JVM to read after the save loads the new value and writes it to Redis; one that reads at the same
      // moment may load it too; none may serve its old copy
      assertThat(loadsAfterSave).as("upstream calls of all three JVMs after the save").isBetween(1L, 3L);
    }
  }

  private static long subscribers(Jedis jedis) {
    return jedis.pubsubNumSub(CHANNEL).getOrDefault(CHANNEL, 0L);
  }

  /** The test's own subscription to the channel: what the JVMs publish, decoded. */
  private static final class ChannelWatch extends BinaryJedisPubSub implements AutoCloseable {
    private final List<BackplaneMessage.Entry> entries = new CopyOnWriteArrayList<>();
    private final Jedis connection;
    private final Thread thread;

    private ChannelWatch(RedisServer redis) {
      connection = new Jedis(redis.host(), redis.port(), 2_000);
      thread = new Thread(() -> {
        try {
          connection.subscribe(this, CHANNEL.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException closed) {
          // the test is over
        }
      }, "watch-" + CHANNEL);
      thread.setDaemon(true);
    }

    static ChannelWatch start(RedisServer redis) {
      ChannelWatch watch = new ChannelWatch(redis);
      watch.thread.start();
      return watch;
    }

    @Override
    public void onMessage(byte[] channel, byte[] message) {
      try {
        entries.addAll(BackplaneMessage.decode(message).entries());
      } catch (MalformedMessageException e) {
        throw new AssertionError("a JVM published a message the backplane cannot read", e);
      }
    }

    boolean saw(BackplaneMessage.Action action, String key) {
      for (BackplaneMessage.Entry entry : entries) {
        if (entry.action() == action && entry.rule().equals("product") && entry.key().equals(key)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() throws InterruptedException {
      if (isSubscribed()) {
        unsubscribe();
      }
      thread.join(5_000);
      connection.close();
    }
  }
}
