package dev.tieredcache.it.backplane;

import static dev.tieredcache.it.backplane.JvmWaits.PHASE;
import static dev.tieredcache.it.backplane.JvmWaits.await;
import static dev.tieredcache.it.backplane.JvmWaits.awaitSignal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.backplaneapps.TaggedReadsApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * SPEC §3 "Tags", with the real agent jar: JVMs A and B hold a product (tagged by its category, through
 * {@code {result...}}), a category name (tagged by its argument) and an untagged banner; A renames category 7, whose
 * evict rule evicts tag {@code category:7}. Both then miss the two tagged entries and keep the banner; a JVM C
 * started after the evict does not serve the tagged values it finds in Redis, but does serve the banner from there.
 */
class TagEvictionAcrossJvmsTest {

  private static final String NAMESPACE = "shop";
  private static final String CHANNEL = NAMESPACE + ":backplane";
  private static final String CATALOG = "dev.tieredcache.it.backplaneapps.TaggedCatalog";

  @TempDir
  Path dir;

  @Test
  void anEvictByTagInOneJvmMakesTaggedEntriesMissEverywhereAndLeavesUntaggedOnes() throws Exception {
    SignalFiles signals = SignalFiles.in(dir);
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port(), 2_000)) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: " + NAMESPACE,
              "redis: {url: " + redis.url() + ", timeout: 500ms}",
              "backplane: true",
              "defaults:",
              "  ttl: 10m",
              "rules:",
              "  - name: product",
              "    method: " + CATALOG + "#product(java.lang.String)",
              "    tags: [\"product:{0}\", \"category:{result.categoryId}\"]",
              "  - name: category",
              "    method: " + CATALOG + "#categoryName(long)",
              "    tags: [\"category:{0}\"]",
              "  - name: banner",
              "    method: " + CATALOG + "#banner(long)",
              "  - name: category-renamed",
              "    method: " + CATALOG + "#renameCategory(long, java.lang.String)",
              "    evict: {tag: \"category:{0}\"}");
      CompletableFuture<ForkedRun> a = jvm.runInBackground(TaggedReadsApp.class, "a", "evicter");
      CompletableFuture<ForkedRun> b = jvm.runInBackground(TaggedReadsApp.class, "b");
      List<CompletableFuture<ForkedRun>> runs = List.of(a, b);
      awaitSignal(signals, "started-a", runs);
      awaitSignal(signals, "started-b", runs);
      await("A and B subscribed to " + CHANNEL, runs, () -> subscribers(jedis) == 2);

      signals.raise("read-a");
      awaitSignal(signals, "has-read-a", runs);
      await("A's three values in Redis", runs, () -> jedis.exists(NAMESPACE + ":product:p1")
          && jedis.exists(NAMESPACE + ":category:7") && jedis.exists(NAMESPACE + ":banner:1"));
      signals.raise("read-b");
      awaitSignal(signals, "has-read-b", runs);

      signals.raise("evict");
      awaitSignal(signals, "evicted", runs);
      await("the tag's time in Redis", runs, () -> jedis.exists(NAMESPACE + ":tag:category:7"));
      // B gets the backplane message at the moment Redis has the time; a margin for it to apply it
      Thread.sleep(200);

      CompletableFuture<ForkedRun> c = jvm.runInBackground(TaggedReadsApp.class, "c", "late");
      List<CompletableFuture<ForkedRun>> all = List.of(a, b, c);
      awaitSignal(signals, "started-c", all);
      signals.raise("read-again-c");
      awaitSignal(signals, "done-c", all);
      signals.raise("read-again-a");
      awaitSignal(signals, "done-a", all);
      signals.raise("read-again-b");

      ForkedRun runA = a.get(PHASE.toMillis(), TimeUnit.MILLISECONDS);
      ForkedRun runB = b.get(PHASE.toMillis(), TimeUnit.MILLISECONDS);
      ForkedRun runC = c.get(PHASE.toMillis(), TimeUnit.MILLISECONDS);
      for (ForkedRun run : List.of(runA, runB, runC)) {
        run.assertHealthyAgent();
      }
      String product = runA.result("firstProduct");
      String category = runA.result("firstCategory");
      String banner = runA.result("firstBanner");
      assertThat(product).isEqualTo("a#1");
      assertThat(runB.result("firstProduct")).as(runB.context("B took A's product from Redis")).isEqualTo(product);
      assertThat(runB.result("firstCategory")).isEqualTo(category);
      assertThat(runB.longResult("productCallsBeforeEvict")).isZero();

      assertThat(runC.result("afterProduct")).as(runC.context("C, started after the evict: product loaded"))
          .isEqualTo("c#1");
      assertThat(runC.result("afterCategory")).as(runC.context("C: category loaded")).isEqualTo("category 7 by c#1");
      assertThat(runC.result("afterBanner")).as(runC.context("C: the untagged banner from Redis")).isEqualTo(banner);
      assertThat(runC.longResult("bannerCallsAfterEvict")).isZero();

      for (ForkedRun run : List.of(runA, runB)) {
        assertThat(run.result("afterProduct")).as(run.context("tagged product after the evict")).isNotEqualTo(product);
        assertThat(run.result("afterCategory")).as(run.context("tagged category after the evict"))
            .isNotEqualTo(category);
        assertThat(run.result("afterBanner")).as(run.context("untagged banner after the evict")).isEqualTo(banner);
        assertThat(run.longResult("bannerCallsAfterEvict")).isEqualTo(run.longResult("bannerCallsBeforeEvict"));
      }
    }
  }

  private static long subscribers(Jedis jedis) {
    return jedis.pubsubNumSub(CHANNEL).getOrDefault(CHANNEL, 0L);
  }
}
