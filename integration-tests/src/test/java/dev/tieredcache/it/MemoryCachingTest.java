package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.CachedNullApp;
import dev.tieredcache.it.apps.FailingLoadApp;
import dev.tieredcache.it.apps.HitAfterLoadApp;
import dev.tieredcache.it.apps.StampedeApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Fresh hits, coalesced loads, exceptions and nulls in the memory tier (no redis: section). */
class MemoryCachingTest {

  static final String PRICE_RULE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";

  @TempDir
  Path dir;

  @OnEachJdk
  void secondCallIsServedFromMemoryAfterOneLoad(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + PRICE_RULE_METHOD,
            "    key: \"{0}\"")
        .run(HitAfterLoadApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("first")).as(run.context("first call")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("second call")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
  }

  @OnEachJdk
  void concurrentCallersOfAColdKeyShareOneLoad(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + PRICE_RULE_METHOD)
        .run(StampedeApp.class);

    run.assertHealthyAgent();
    assertThat(run.longResult("failures")).as(run.context("callers that threw")).isZero();
    assertThat(run.longResult("answered")).as(run.context("callers that got a value")).isEqualTo(200);
    assertThat(run.longResult("distinctValues")).as(run.context("distinct values among 200 callers")).isEqualTo(1);
    assertThat(run.result("values")).as(run.context("the value")).isEqualTo("[sku-1@v1]");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls of 200 callers")).isEqualTo(1);
  }

  @OnEachJdk
  void upstreamExceptionReachesTheCallerAndIsNotCached(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + PRICE_RULE_METHOD)
        .run(FailingLoadApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("firstCall")).as(run.context("first call while the database is down"))
        .isEqualTo("threw java.lang.IllegalStateException: db down");
    assertThat(run.result("secondCall")).as(run.context("second call while the database is down"))
        .isEqualTo("threw java.lang.IllegalStateException: db down");
    assertThat(run.longResult("upstreamCallsWhileDown"))
        .as(run.context("upstream calls: an exception must not be cached, so both calls reach it")).isEqualTo(2);
    assertThat(run.result("afterRecovery")).as(run.context("first call after recovery"))
        .isEqualTo("returned sku-1@v1");
    assertThat(run.result("againAfterRecovery")).as(run.context("second call after recovery"))
        .isEqualTo("returned sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls in all")).isEqualTo(3);
  }

  @OnEachJdk
  void nullIsCachedOnlyWhenCacheNullsIsOn(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: nickname",
            "    method: dev.tieredcache.it.apps.Directory#nickname(java.lang.String)",
            "    cache-nulls: true",
            "  - name: avatar",
            "    method: dev.tieredcache.it.apps.Directory#avatar(java.lang.String)",
            "    cache-nulls: false")
        .run(CachedNullApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("nickname.first")).as(run.context("nickname, first call")).isEqualTo("null");
    assertThat(run.result("nickname.second")).as(run.context("nickname, second call")).isEqualTo("null");
    assertThat(run.longResult("nickname.calls")).as(run.context("upstream calls with cache-nulls: true"))
        .isEqualTo(1);
    assertThat(run.result("avatar.first")).as(run.context("avatar, first call")).isEqualTo("null");
    assertThat(run.result("avatar.second")).as(run.context("avatar, second call")).isEqualTo("null");
    assertThat(run.longResult("avatar.calls")).as(run.context("upstream calls with cache-nulls: false"))
        .isEqualTo(2);
  }
}
