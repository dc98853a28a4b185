package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.MethodShapesApp;
import dev.tieredcache.it.apps.ProxyRefreshApp;
import dev.tieredcache.it.apps.ProxyRepositoryApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kinds of methods a rule can name: every return shape, static, interface default and inherited methods, and
 * JDK proxy classes matched through an interface with {@code +}.
 */
class MethodShapesTest {

  private static final String APPS = "dev.tieredcache.it.apps.";

  @TempDir
  Path dir;

  @OnEachJdk
  void everyReturnAndMethodShapeIsCachedWithItsValue(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: stock",
            "    method: " + APPS + "Inventory#stock(java.lang.String)",
            "  - name: shelves",
            "    method: " + APPS + "Inventory#shelves(java.lang.String)",
            "  - name: related",
            "    method: " + APPS + "Inventory#related(java.lang.String)",
            "  - name: quote",
            "    method: " + APPS + "Inventory#quote(java.lang.String, int)",
            "  - name: reserved",
            "    method: " + APPS + "Inventory#reserved(long)",
            "    key: \"reserved:{0}\"",
            "  - name: place",
            "    method: " + APPS + "Inventory#place(java.lang.String, long, int)",
            "  - name: lot",
            "    method: " + APPS + "Inventory#lot(long, int)",
            "    key: \"lot:{0}:{1}\"",
            "  - name: label",
            "    method: " + APPS + "Inventory#label(double, char, boolean)",
            "  - name: aisle",
            "    method: " + APPS + "Inventory#aisle(int)",
            "  - name: discount-code",
            "    method: " + APPS + "Discounts#discountCode(java.lang.String)",
            "  - name: location",
            "    method: " + APPS + "Warehouse+#location(java.lang.String)")
        .run(MethodShapesApp.class);

    run.assertHealthyAgent();
    assertCachedOnce(run, "stock", "5000000005");
    assertCachedOnce(run, "shelves", "[3, 1, 5]");
    assertCachedOnce(run, "related", "[sku-1-case, sku-1-charger]");
    assertCachedOnce(run, "quote", "2 x sku-1");
    assertThat(run.result("quote.otherQuantity")).as(run.context("static quote with another argument"))
        .isEqualTo("3 x sku-1");
    assertThat(run.longResult("quote.callsWithOtherQuantity"))
        .as(run.context("upstream calls of quote: the second argument is part of the default key")).isEqualTo(2);
    assertCachedOnce(run, "reserved", "reserved-5000000005");
    assertThat(run.result("reserved.otherAgain")).as(run.context("reserved(-7), second call")).isEqualTo("reserved--7");
    assertThat(run.longResult("reserved.callsWithOther")).as(run.context("upstream calls of reserved")).isEqualTo(2);
    assertThat(run.longResult("reserved.callsFor300KeysTwice"))
        .as(run.context("upstream calls of reserved for 300 keys called twice each")).isEqualTo(300);
    assertCachedOnce(run, "aisle", "aisle--40000");
    assertCachedOnce(run, "lot", "w7000000000-r400");
    assertThat(run.result("lot.otherRow")).as(run.context("lot in another row")).isEqualTo("w7000000000-r401");
    assertThat(run.longResult("lot.callsWithOtherRow")).as(run.context("upstream calls of lot")).isEqualTo(2);
    assertCachedOnce(run, "label", "2.5kg/L/fragile");
    assertThat(run.result("label.other")).as(run.context("label with fragile false")).isEqualTo("2.5kg/L");
    assertThat(run.longResult("label.callsWithOther")).as(run.context("upstream calls of label")).isEqualTo(2);
    assertThat(run.result("quote.largeAgain")).as(run.context("quote(sku-1, 40000) again")).isEqualTo("40000 x sku-1");
    assertThat(run.longResult("quote.callsWithLarge")).as(run.context("upstream calls of quote after 40000 twice"))
        .isEqualTo(3);
    assertCachedOnce(run, "place", "sku-1@5000000005/-300");
    assertThat(run.result("place.otherBin")).as(run.context("place with another bin")).isEqualTo("sku-1@5000000005/300");
    assertThat(run.longResult("place.callsWithOtherBin")).as(run.context("upstream calls of place")).isEqualTo(2);
    assertThat(run.result("quote.noSkuAgain")).as(run.context("quote(null, 2), second call")).isEqualTo("2 x null");
    assertThat(run.longResult("quote.callsWithNoSku"))
        .as(run.context("upstream calls of quote after quote(null, 2) twice: a null argument is a key too"))
        .isEqualTo(4);
    assertCachedOnce(run, "discountCode", "winter-sku-1");
    assertCachedOnce(run, "location", "central/aisle-5");
  }

  private static void assertCachedOnce(ForkedRun run, String shape, String expected) {
    assertThat(run.result(shape + ".first")).as(run.context(shape + ", first call")).isEqualTo(expected);
    assertThat(run.result(shape + ".second")).as(run.context(shape + ", second call")).isEqualTo(expected);
    assertThat(run.longResult(shape + ".calls")).as(run.context(shape + ": upstream calls for two calls"))
        .isEqualTo(1);
  }

  @OnEachJdk
  void jdkProxyOfAnInterfaceNamedWithPlusIsCached(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: product",
            "    method: " + APPS + "ProductRepository+#findById(..)",
            "    key: \"{0}\"",
            "  - name: product-saved",
            "    method: " + APPS + "ProductRepository+#save(..)",
            "    evict: {rule: product, key: \"{0.id}\"}")
        .run(ProxyRepositoryApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("repositoryClass")).as(run.context("the repository is a JDK proxy")).contains("$Proxy");
    assertThat(run.result("first")).as(run.context("first find")).isEqualTo("kettle");
    assertThat(run.result("second")).as(run.context("second find")).isEqualTo("kettle");
    assertThat(run.longResult("lookupsAfterRepeatedFind")).as(run.context("handler calls for p1 found twice"))
        .isEqualTo(1);
    assertThat(run.result("otherKey")).as(run.context("find p2")).isEqualTo("toaster");
    assertThat(run.longResult("lookupsAfterOtherKey")).as(run.context("handler calls after finding p2"))
        .isEqualTo(2);
    assertThat(run.result("findAfterSave")).as(run.context("p1 after save through the proxy"))
        .isEqualTo("steel kettle");
    assertThat(run.longResult("lookupsAfterSave")).as(run.context("handler calls after save(p1) and a find"))
        .isEqualTo(3);
  }

  /** Spring Data repositories are proxies, and stale-while-revalidate is on by default: the refresh must work. */
  @OnEachJdk
  void jdkProxyIsRefreshedInTheBackground(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: product",
            "    method: " + APPS + "ProductRepository+#findById(..)",
            "    ttl: 200ms",
            "    jitter: 0%",
            "    stale-while-revalidate: 1m")
        .run(ProxyRefreshApp.class);

    run.assertHealthyAgent();
    assertThat(run.result("first")).as(run.context("first find")).isEqualTo("kettle");
    assertThat(run.result("stale")).as(run.context("the find after ttl serves the stale name")).isEqualTo("kettle");
    assertThat(run.result("refreshed")).as(run.context("the name polled for 2 s after the stale find"))
        .isEqualTo("steel kettle");
    assertThat(run.longResult("lookups")).as(run.context("handler calls: the load and one refresh"))
        .isEqualTo(2);
  }
}
