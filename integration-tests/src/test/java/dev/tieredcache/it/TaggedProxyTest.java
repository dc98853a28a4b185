package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.TaggedProxyApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tags on a rule reached through a JDK proxy (SPEC §3 "Tags", §4 keys): the {@code PriceList+} rule instruments both
 * the proxy's and the bean's {@code find}; the value the load stores carries the tag rendered from the proxy call's
 * arguments, and an evict by tag from another method makes it miss at once, leaving other tags' entries cached.
 */
class TaggedProxyTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void anEvictByTagReachesEntriesLoadedThroughAJdkProxy(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: dev.tieredcache.it.apps.PriceList+#find(..)",
            "    ttl: 10m",
            "    tags: [\"sku:{0}\"]",
            "  - name: repriced",
            "    method: dev.tieredcache.it.apps.PriceListService#reprice(java.lang.String, java.lang.String)",
            "    evict: {tag: \"sku:{0}\"}")
        .run(TaggedProxyApp.class);
    run.assertHealthyAgent();
    assertThat(run.result("first")).as(run.context("first read")).isEqualTo("sku-1=10");
    assertThat(run.result("cached")).as(run.context("second read")).isEqualTo("sku-1=10");
    assertThat(run.longResult("callsBeforeEvict")).as(run.context("bean reads before the evict: sku-1, sku-2"))
        .isEqualTo(2);
    assertThat(run.result("afterEvict")).as(run.context("read right after the evict by tag")).isEqualTo("sku-1=12");
    assertThat(run.result("otherAfterEvict")).as(run.context("sku-2 carries another tag")).isEqualTo(
        run.result("other"));
    assertThat(run.result("again")).as(run.context("the new price is cached")).isEqualTo("sku-1=12");
    assertThat(run.longResult("beanCalls")).as(run.context("bean reads: sku-1, sku-2, sku-1 after the evict"))
        .isEqualTo(3);
  }
}
