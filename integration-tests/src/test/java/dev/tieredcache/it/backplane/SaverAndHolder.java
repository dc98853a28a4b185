package dev.tieredcache.it.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.apps.Product;
import dev.tieredcache.it.backplaneapps.FileProductRepository;
import dev.tieredcache.it.backplaneapps.HoldAndRereadApp;
import dev.tieredcache.it.backplaneapps.SaveOnSignalApp;
import dev.tieredcache.it.redis.RunningApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * Two JVMs of the product application with the agent, {@code backplane: true}, sharing a Redis fixture and the
 * products table ({@link FileProductRepository}): B ({@link HoldAndRereadApp}) holds {@code p0..p<n-1>} in memory,
 * fresh for 5 minutes, and reads them again at the end; A ({@link SaveOnSignalApp}) saves some of them on the test's
 * signal, and reads some of those again so that their new value is in Redis. Closing it lets both JVMs run to their
 * end.
 */
final class SaverAndHolder implements AutoCloseable {

  static final Duration PHASE = Duration.ofSeconds(30);
  static final String RULE = "product";

  final String namespace;
  final String channel;
  final SignalFiles signals;
  final ChannelSubscribers subscribers;
  final RunningApp a;
  final RunningApp b;
  final int held;
  final List<String> saved;
  final List<String> rewritten;
  private final Path dir;

  private SaverAndHolder(Path dir, RedisServer redis, String namespace, int held, List<String> saved,
      List<String> rewritten, RunningApp a, RunningApp b) {
    this.dir = dir;
    this.namespace = namespace;
    this.channel = namespace + ":backplane";
    this.signals = SignalFiles.in(dir);
    this.subscribers = new ChannelSubscribers(redis, channel);
    this.held = held;
    this.saved = saved;
    this.rewritten = rewritten;
    this.a = a;
    this.b = b;
  }

  /**
   * Writes the products table, starts both JVMs on the test JVM's Java and returns once both are subscribed.
   *
   * @param saved the ids A saves on {@code change}
   * @param rewritten the ids (of {@code saved}) A reads again after saving them
   */
  static SaverAndHolder start(Path dir, RedisServer redis, String namespace, int held, List<String> saved,
      List<String> rewritten) {
    for (int i = 0; i < held; i++) {
      FileProductRepository.write(dir.resolve("products"), new Product("p" + i, oldName("p" + i)));
    }
    ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
        .rules("namespace: " + namespace,
            "redis: {url: " + redis.url() + ", timeout: 250ms}",
            "backplane: true",
            "defaults:",
            "  ttl: 5m",
            "  jitter: 0%",
            "rules:",
            "  - name: " + RULE,
            "    method: dev.tieredcache.it.apps.ProductRepository+#findById(java.lang.String)",
            "    key: \"{0}\"",
            "  - name: product-saved",
            "    method: dev.tieredcache.it.apps.ProductRepository+#save(dev.tieredcache.it.apps.Product)",
            "    evict: {rule: " + RULE + ", key: \"{0.id}\"}");
    SignalFiles signals = SignalFiles.in(dir);
    RunningApp a = new RunningApp("A", jvm.runInBackground(SaveOnSignalApp.class, "A", String.join(",", saved),
        rewritten.isEmpty() ? "-" : String.join(",", rewritten)), signals, "change", "finish");
    RunningApp b = new RunningApp("B", jvm.runInBackground(HoldAndRereadApp.class, "B", Integer.toString(held)),
        signals, "hold", "reread");
    SaverAndHolder fleet = new SaverAndHolder(dir, redis, namespace, held, saved, rewritten, a, b);
    try {
      a.awaitSignal("started-A", PHASE);
      b.awaitSignal("started-B", PHASE);
      // from here on B misses no message, and its first subscription marks nothing it reads stale
      fleet.subscribers.await(2, PHASE, a, b);
    } catch (RuntimeException | Error e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  static List<String> ids(int from, int to) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < to; i++) {
      ids.add("p" + i);
    }
    return ids;
  }

  /** The name of a product before A saves it. */
  static String oldName(String id) {
    return "kettle " + id;
  }

  /** B loads every product and holds it; returns once Redis has all of them (B's writes are asynchronous). */
  void holdInB(Jedis admin) {
    signals.raise("hold");
    b.awaitSignal("held-B", PHASE);
    for (int i = 0; i < held; i++) {
      String key = namespace + ":" + RULE + ":p" + i;
      long deadline = System.nanoTime() + PHASE.toNanos();
      while (!admin.exists(key)) {
        b.requireRunning(key + " in Redis");
        if (System.nanoTime() - deadline > 0) {
          fail(key + " did not reach Redis");
        }
        RunningApp.sleep(5);
      }
    }
  }

  /** B's process id, which it wrote to {@code pid-B}. */
  long pidOfB() {
    b.awaitSignal("pid-B", PHASE);
    try {
      return Long.parseLong(new String(Files.readAllBytes(dir.resolve("pid-B")), StandardCharsets.US_ASCII).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A saves (and rewrites); returns once each of its changes went by on {@code watch}. */
  void changeInA(BackplaneWatch watch) {
    signals.raise("change");
    a.awaitSignal("changed", PHASE);
    for (String id : saved) {
      // a rewrite's SET replaces the EVICT of the same key if that is still waiting in A's writer
      BackplaneMessage.Action announced = rewritten.contains(id)
          ? BackplaneMessage.Action.SET : BackplaneMessage.Action.EVICT;
      long deadline = System.nanoTime() + PHASE.toNanos();
      while (!watch.saw(announced, RULE, id)) {
        a.requireRunning(announced + " " + id + " on " + channel);
        if (System.nanoTime() - deadline > 0) {
          fail("A's " + announced + " of " + id + " did not go by on " + channel);
        }
        RunningApp.sleep(2);
      }
    }
  }

  /**
   * B reads every product again, after a margin for what it received last (a message, or its subscription coming
   * back) to be handled on its subscriber thread; then both JVMs end.
   */
  Results rereadAndFinish() {
    RunningApp.sleep(200);
    signals.raise("reread");
    ForkedRun bRun = b.finish(PHASE);
    signals.raise("finish");
    ForkedRun aRun = a.finish(PHASE);
    return new Results(aRun, bRun);
  }

  @Override
  public void close() {
    subscribers.close();
    a.close();
    b.close();
  }

  /** What A and B did. */
  final class Results {
    final ForkedRun a;
    final ForkedRun b;

    private Results(ForkedRun a, ForkedRun b) {
      this.a = a;
      this.b = b;
    }

    /** B's loads from the products table when it read everything again. */
    long bLoadsOnReread() {
      return b.longResult("upstreamCallsAfterReread") - b.longResult("upstreamCallsHolding");
    }

    /**
     * Both agents healthy; B held the old names, and read the new name of each product A saved and the old name of
     * every other one.
     */
    void assertBServesNewValuesOfChangedKeys() {
      System.out.println("[backplane] " + namespace + ": B loaded " + b.result("upstreamCallsHolding")
          + " products while holding, " + bLoadsOnReread() + " when reading again; A saved " + saved.size()
          + " in " + a.result("saveMicros") + " us");
      a.assertHealthyAgent();
      b.assertHealthyAgent();
      assertThat(b.longResult("upstreamCallsHolding")).as(b.context("B loaded each product once, then held it"))
          .isEqualTo(held);
      for (String id : rewritten) {
        assertThat(a.result("reread." + id)).as(a.context("A's read of " + id + " after saving it"))
            .isEqualTo(SaveOnSignalApp.newName(id));
      }
      for (int i = 0; i < held; i++) {
        String id = "p" + i;
        assertThat(b.result("held." + id)).as(b.context("B's copy of " + id)).isEqualTo(oldName(id));
        String change = !saved.contains(id) ? "unchanged" : rewritten.contains(id) ? "saved and rewritten by A"
            : "saved by A";
        assertThat(b.result("reread." + id)).as(b.context("B's next read of " + id + " (" + change + ")"))
            .isEqualTo(saved.contains(id) ? SaveOnSignalApp.newName(id) : oldName(id));
      }
    }
  }
}
