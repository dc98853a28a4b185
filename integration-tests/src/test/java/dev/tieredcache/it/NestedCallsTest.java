package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.NestedRefreshApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §4: a load or refresh calls the original code, and an instrumented method that it reaches on its own thread
 * for the same rule and key (a proxy's target, a decorator's delegate, an override calling {@code super}) runs
 * uncached. A {@code PriceList+} rule instruments the outer and the inner {@code find}; after ttl the background
 * refresh must read the bean again, not serve itself the stale value.
 */
class NestedCallsTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void refreshThroughAJdkProxyReadsTheTargetBean(TestJdk jdk) {
    assertRefreshReadsTheBean(refreshThrough(jdk, "proxy"));
  }

  @OnEachJdk
  void refreshThroughADecoratorReadsTheDelegate(TestJdk jdk) {
    assertRefreshReadsTheBean(refreshThrough(jdk, "decorator"));
  }

  @OnEachJdk
  void refreshOfAnOverrideReadsTheSuperMethod(TestJdk jdk) {
    assertRefreshReadsTheBean(refreshThrough(jdk, "override"));
  }

  private ForkedRun refreshThrough(TestJdk jdk, String shape) {
    return ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: dev.tieredcache.it.apps.PriceList+#find(..)",
            "    ttl: 200ms",
            "    jitter: 0%",
            "    stale-while-revalidate: 1m")
        .run(NestedRefreshApp.class, shape);
  }

  private static void assertRefreshReadsTheBean(ForkedRun run) {
    run.assertHealthyAgent();
    assertThat(run.result("first")).as(run.context("the first find")).isEqualTo("sku-1=10");
    assertThat(run.result("stale")).as(run.context("the find after ttl serves the stale price"))
        .isEqualTo("sku-1=10");
    assertThat(run.result("refreshed")).as(run.context("the price polled for 2 s after the stale find"))
        .isEqualTo("sku-1=12");
    assertThat(run.longResult("beanCalls")).as(run.context("bean calls: the load and one refresh")).isEqualTo(2);
  }
}
