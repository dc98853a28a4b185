package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.FutureMethodsApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Methods that return {@code CompletableFuture<T>} or {@code CompletionStage<T>}, with the real agent: the value
 * the future completes with is cached, a hit is an already completed future of the caller's own, a failed future is
 * not cached, a stale value is served when a refresh's future fails, and concurrent callers of a cold key cause one
 * remote call; memory only, and memory + Redis (where a second JVM reads the value without a remote call).
 */
class FutureMethodsTest {

  private static final String SERVICE = "dev.tieredcache.it.apps.QuoteService";
  /** The concurrent callers of one cold key: 50 threads, then one more call from the main thread. */
  private static final long SHARED_CALLERS = 51;

  @TempDir
  Path dir;

  private static List<String> rules(String... head) {
    List<String> lines = new ArrayList<>(List.of(head));
    lines.addAll(List.of(
        "rules:",
        "  - name: quote",
        "    method: " + SERVICE + "#quote(java.lang.String)",
        "    key: \"{0}\"",
        "    ttl: 1m",
        "    load-timeout: 20s",
        "  - name: last-quote",
        "    method: " + SERVICE + "#lastQuote(java.lang.String)",
        "    ttl: 200ms",
        "    stale-while-revalidate: 0s",
        "    stale-if-error: 1h",
        "  - name: label",
        "    method: " + SERVICE + "#label(java.lang.String)",
        "  - name: nickname",
        "    method: " + SERVICE + "#nickname(java.lang.String)"));
    return lines;
  }

  @OnEachJdk
  void futureMethodsAreCachedInMemory(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir).rules(rules().toArray(new String[0])).run(FutureMethodsApp.class);
    assertCachedAsPromised(run);
  }

  @OnEachJdk
  void futureMethodsAreCachedInMemoryAndRedis(TestJdk jdk) {
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      String[] rules = rules("namespace: shop", "redis: {url: " + redis.url() + ", timeout: 200ms}")
          .toArray(new String[0]);
      ForkedRun run = ForkedJvm.on(jdk, dir).rules(rules).run(FutureMethodsApp.class, "linger");
      assertCachedAsPromised(run);
      assertThat(jedis.exists("shop:quote:sku-1")).as(run.context("the value in Redis; keys there: "
          + jedis.keys("*"))).isTrue();
      assertThat(jedis.exists("shop:quote:sku-2")).as(run.context("the key whose futures failed, then one succeeded"))
          .isTrue();

      ForkedRun reader = ForkedJvm.on(jdk, dir).rules(rules).run(FutureMethodsApp.class, "read");
      reader.assertHealthyAgent();
      assertThat(reader.result("read.completedAtOnce")).as(reader.context("a value read from Redis: a completed"
          + " future")).isEqualTo("true");
      assertThat(reader.result("read.value")).as(reader.context("the value read from Redis"))
          .isEqualTo("Quote[sku=sku-1, cents=2499, version=v1]");
      assertThat(reader.longResult("read.calls")).as(reader.context("remote calls of the reading JVM")).isZero();
    }
  }

  private static void assertCachedAsPromised(ForkedRun run) {
    run.assertHealthyAgent();
    String quote = "Quote[sku=sku-1, cents=2499, version=v1]";
    assertThat(run.result("miss.pendingWhenReturned")).as(run.context("a miss returns before the remote answer"))
        .isEqualTo("true");
    assertThat(run.result("miss.value")).as(run.context("the miss's value")).isEqualTo(quote);
    assertThat(run.result("hit.completedAtOnce")).as(run.context("hits are completed futures")).isEqualTo("true");
    assertThat(run.result("hit.value")).as(run.context("the hit's value")).isEqualTo(quote);
    assertThat(run.result("hit.distinctFutures")).as(run.context("each caller its own future")).isEqualTo("true");
    assertThat(run.result("hit.afterOthersChangedTheirs")).as(run.context("a hit after other callers obtruded and"
        + " cancelled theirs")).isEqualTo(quote);
    assertThat(run.longResult("calls")).as(run.context("remote calls for sku-1")).isEqualTo(1);

    String down = "failed java.lang.IllegalStateException: quote service down";
    assertThat(run.result("failed.first")).as(run.context("a failed future reaches the caller")).isEqualTo(down);
    assertThat(run.result("failed.second")).as(run.context("and is not cached")).isEqualTo(down);
    assertThat(run.longResult("failed.callsWhileDown")).as(run.context("remote calls while down")).isEqualTo(2);
    assertThat(run.result("failed.afterRecovery")).as(run.context("after recovery"))
        .isEqualTo("value Quote[sku=sku-2, cents=2499, version=v1]");

    String lastQuote = "value Quote[sku=sku-1, cents=1999, version=v1]";
    assertThat(run.result("stale.loaded")).as(run.context("last-quote loaded")).isEqualTo(lastQuote);
    assertThat(run.result("stale.pendingWhenReturned")).as(run.context("the refresh of a stale value: the caller"
        + " gets a future at once")).isEqualTo("true");
    assertThat(run.result("stale.onError")).as(run.context("stale-if-error when the refresh's future fails"))
        .isEqualTo(lastQuote);
    assertThat(run.result("stale.whileBackingOff")).as(run.context("served stale while backing off"))
        .isEqualTo(lastQuote);
    assertThat(run.longResult("stale.calls")).as(run.context("remote calls: the load and one failed refresh"))
        .isEqualTo(2);

    assertThat(run.longResult("shared.pendingWhenAllReturned")).as(run.context("callers that got a future before"
        + " the remote answer")).isEqualTo(SHARED_CALLERS);
    assertThat(run.longResult("shared.distinctFutures")).as(run.context("futures handed to the callers"))
        .isEqualTo(SHARED_CALLERS);
    assertThat(run.result("shared.values")).as(run.context("what the callers' futures completed with"))
        .isEqualTo("[value Quote[sku=sku-3, cents=2499, version=v1]]");
    assertThat(run.longResult("shared.calls")).as(run.context("remote calls of all the concurrent callers"))
        .isEqualTo(1);

    assertThat(run.result("label.first")).as(run.context("a CompletionStage method")).isEqualTo("label of sku-1@v1");
    assertThat(run.result("label.hitCompletedAtOnce")).as(run.context("its hit")).isEqualTo("true");
    assertThat(run.result("label.hit")).as(run.context("its hit's value")).isEqualTo("label of sku-1@v1");
    assertThat(run.longResult("label.calls")).as(run.context("its remote calls")).isEqualTo(1);

    assertThat(run.result("nickname")).as(run.context("an Optional method"))
        .isEqualTo("Optional[nick-c-1@v1] Optional[nick-c-1@v1]");
    assertThat(run.longResult("nickname.calls")).as(run.context("its calls")).isEqualTo(1);
    assertThat(run.result("nickname.unknown")).as(run.context("an empty Optional"))
        .isEqualTo("Optional.empty Optional.empty");
    assertThat(run.longResult("nickname.unknown.calls")).as(run.context("its calls")).isEqualTo(1);
  }
}
