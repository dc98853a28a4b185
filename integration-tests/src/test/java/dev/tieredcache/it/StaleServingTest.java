package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.StaleIfErrorApp;
import dev.tieredcache.it.apps.StaleWhileRevalidateApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Stale values: served at once while a background refresh runs, and served while the upstream fails. */
class StaleServingTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void staleValueIsServedWhileRefreshRuns(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
            "    ttl: 200ms",
            "    jitter: 0%",
            "    stale-while-revalidate: 1m")
        .run(StaleWhileRevalidateApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("first")).as(run.context("the first load")).isEqualTo("sku-1@v1");
    assertThat(run.result("stale")).as(run.context("the call after ttl")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("staleCallMicros"))
        // well under the upstream's 300 ms, so the call did not wait for it; the first stale call of a fresh JVM
        // runs cold code (and starts the refresh thread), which on a loaded 2-core machine took 22 ms once
        .as(run.context("microseconds the stale call took, while the upstream takes 300 ms")).isLessThan(150_000);
    assertThat(run.result("refreshed")).as(run.context("the value polled for 2 s after the stale call"))
        .isEqualTo("sku-1@v2");
    assertThat(run.longResult("refreshedAfterMicros"))
        .as(run.context("microseconds until the refreshed value showed; the refresh itself takes 300 ms"))
        .isBetween(250_000L, 2_000_000L);
    assertThat(run.result("afterRefresh")).as(run.context("a call after the refresh")).isEqualTo("sku-1@v2");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls: the load and one refresh"))
        .isEqualTo(2);
  }

  @OnEachJdk
  void staleValueIsServedWhileUpstreamFailsAndRetriesBackOff(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
            "    ttl: 200ms",
            "    jitter: 0%",
            "    stale-while-revalidate: 0s",
            "    stale-if-error: 1h",
            "    error-backoff: 5s")
        .run(StaleIfErrorApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("first")).as(run.context("the first load")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("failures")).as(run.context("calls that threw while the upstream was down"))
        .isZero();
    assertThat(run.longResult("otherValues")).as(run.context("calls that returned something else than v1"))
        .isZero();
    assertThat(run.longResult("servedFirst")).as(run.context("calls that got the stale v1")).isEqualTo(1000);
    assertThat(run.longResult("attemptsWhileDown"))
        .as(run.context("upstream attempts in ~1 s of calls with error-backoff 5s")).isBetween(1L, 3L);
    assertThat(run.result("recovered")).as(run.context("the value once the database is back")).isEqualTo("sku-1@v2");
    // the fail-safe's start and end are logged once each, however many calls it served
    assertThat(run.agentLines("WARN")).as(run.context("'serving stale' lines"))
        .filteredOn(l -> l.contains("rule 'price'") && l.contains("serving stale values")).hasSize(1);
    assertThat(run.agentLines("INFO")).as(run.context("'answers again' lines"))
        .filteredOn(l -> l.contains("rule 'price'") && l.contains("answers again")).hasSize(1);
  }
}
