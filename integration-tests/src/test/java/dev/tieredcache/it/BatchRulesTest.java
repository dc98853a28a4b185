package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.batch.BatchApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §3 "Batch rules" with the real jar, on each JDK, memory only and memory + Redis: a batch read after a single
 * read asks the store only for the ids not cached and answers in the order asked; a second one asks for nothing;
 * maps, sets and arrays work alike; 50 threads of overlapping batch and single reads load each id once; once the
 * values are stale and the store fails, the stale elements are served, and a read of an id without one throws the
 * store's exception.
 */
class BatchRulesTest {

  private static final String STORE = "dev.tieredcache.it.apps.batch.ItemStore";

  @TempDir
  Path dir;

  @OnEachJdk
  void batchReadsShareEntriesWithSingleReadsInMemory(TestJdk jdk) {
    check(ForkedJvm.on(jdk, dir).rules(rules(null)).run(BatchApp.class, "2500"));
  }

  @OnEachJdk
  void batchReadsShareEntriesWithSingleReadsInMemoryAndRedis(TestJdk jdk) {
    try (RedisServer redis = RedisServer.start()) {
      check(ForkedJvm.on(jdk, dir).rules(rules(redis)).run(BatchApp.class, "2500"));
    }
  }

  private static String[] rules(RedisServer redis) {
    List<String> lines = new ArrayList<>();
    if (redis != null) {
      lines.add("redis: {url: " + redis.url() + ", timeout: 500ms}");
    }
    lines.addAll(List.of(
        "defaults:",
        "  ttl: 10m",
        "rules:",
        "  - name: item",
        "    method: " + STORE + "#find(java.lang.Long)",
        "    key: \"{0}\"",
        "    ttl: 2s",
        "    stale-while-revalidate: 0s",
        "    stale-if-error: 1h",
        "  - name: items",
        "    method: " + STORE + "#findAll(java.util.List)",
        "    batch: {rule: item, key: \"{id}\"}",
        "  - name: items-by-id",
        "    method: " + STORE + "#byIds(java.util.Set)",
        "    batch: {rule: item, key: \"{id}\"}",
        "  - name: items-loaded",
        "    method: " + STORE + "#load(java.lang.Long[])",
        "    batch: {rule: item, key: \"{id}\"}",
        "  - name: items-in-region",
        "    method: " + STORE + "#inRegion(java.lang.String, java.util.List)",
        "    batch: {rule: item, key: \"{id}\", ids: \"{1}\"}",
        "  - name: stock",
        "    method: " + STORE + "#stock(java.lang.Long)",
        "  - name: stocks",
        "    method: " + STORE + "#stocks(java.util.List)",
        "    batch: {rule: stock, key: \"{id}\"}"));
    return lines.toArray(new String[0]);
  }

  private static void check(ForkedRun run) {
    run.assertHealthyAgent();
    assertThat(run.result("single")).as(run.context("single read")).isEqualTo("Item[id=2, name=item-2]");
    assertThat(run.result("batch")).as(run.context("batch read, in the order asked"))
        .isEqualTo("[Item[id=1, name=item-1], Item[id=2, name=item-2], Item[id=3, name=item-3]]");
    assertThat(run.result("callsAfterBatch")).as(run.context("the store was asked for 1 and 3 only"))
        .isEqualTo("[find[2], findAll[1, 3]]");
    assertThat(run.result("again")).as(run.context("second batch read"))
        .isEqualTo("[Item[id=3, name=item-3], Item[id=1, name=item-1], Item[id=2, name=item-2]]");
    assertThat(run.result("withUnknown")).as(run.context("an unknown id is left out, a repeated one answered once"))
        .isEqualTo("[Item[id=1, name=item-1], Item[id=4, name=item-4]]");
    assertThat(run.result("singleOfBatched")).isEqualTo("Item[id=3, name=item-3]");
    assertThat(run.result("unknownAgain")).as(run.context("the unknown id is cached as absent")).isEqualTo("[]");
    assertThat(run.result("callsAfterAgain")).as(run.context("calls after the repeated reads"))
        .isEqualTo("[find[2], findAll[1, 3], findAll[1000, 4]]");
    assertThat(run.result("map")).as(run.context("set of ids to map"))
        .isEqualTo("{5=Item[id=5, name=item-5], 1=Item[id=1, name=item-1], 6=Item[id=6, name=item-6]}");
    assertThat(run.result("array")).as(run.context("array of ids"))
        .isEqualTo("[Item[id=6, name=item-6], Item[id=7, name=item-7], Item[id=1, name=item-1]]");
    assertThat(run.result("callsAfterShapes")).as(run.context("the shapes share the rule's entries"))
        .isEqualTo("[find[2], findAll[1, 3], findAll[1000, 4], byIds[5, 6], load[7], inRegion:eu[9]]");
    assertThat(run.result("secondArgument")).as(run.context("ids: \"{1}\""))
        .isEqualTo("[Item[id=9, name=item-9], Item[id=1, name=item-1]]");
    assertThat(run.longResult("incompleteReads")).as(run.context("50 threads")).isZero();
    assertThat(run.longResult("stockIdsLoaded")).as(run.context("50 threads")).isEqualTo(20);
    assertThat(run.longResult("mostLoadsOfOneStockId")).as(run.context("each id loaded once")).isEqualTo(1);
    assertThat(run.result("staleOnError")).as(run.context("stale elements while the store fails"))
        .isEqualTo("[Item[id=1, name=item-1], Item[id=2, name=item-2], Item[id=3, name=item-3]]");
    assertThat(run.result("callsWhileFailing")).as(run.context("one batched refresh was tried"))
        .isEqualTo("[findAll[1, 2, 3]]");
    assertThat(run.result("missingWhileFailing")).as(run.context("8 has no stale value")).isEqualTo("store down");
    assertThat(run.result("callsForMissing")).as(run.context("the store is asked once, for 8 only; its exception"
        + " reaches the caller without a second, plain call")).isEqualTo("[findAll[8]]");
  }

  /**
   * A batch key that does not render the named rule's key of an id ({@code {name}} where the item rule is keyed by
   * the id): nothing is cached as not found, the host gets the method's own answers, and after the first call the
   * method runs uncached, with one error logged.
   */
  @OnEachJdk
  void aBatchKeyThatMatchesNoIdLeavesTheMethodUncached(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir).rules("rules:",
        "  - name: item",
        "    method: " + STORE + "#find(java.lang.Long)",
        "  - name: items",
        "    method: " + STORE + "#findAll(java.util.List)",
        "    batch: {rule: item, key: \"{name}\"}").run(dev.tieredcache.it.apps.batch.MisKeyedBatchApp.class);
    run.assertNoTransformationError();
    assertThat(run.exitCode()).as(run.context("exit")).isZero();
    assertThat(run.result("first")).as(run.context("first read"))
        .isEqualTo("[Item[id=2, name=item-2], Item[id=1, name=item-1]]");
    assertThat(run.result("second")).isEqualTo(run.result("first"));
    assertThat(run.result("single")).isEqualTo("Item[id=1, name=item-1]");
    assertThat(run.result("calls")).as(run.context("the first read asked twice, then each call once, uncached"))
        .isEqualTo("[findAll[1, 2], findAll[1, 2], findAll[1, 2], find[1]]");
    assertThat(run.agentLines("ERROR")).as(run.context("one error naming the fix")).singleElement().asString()
        .contains("batch rule 'items'").contains("key: \"{id}\"");
  }
}
