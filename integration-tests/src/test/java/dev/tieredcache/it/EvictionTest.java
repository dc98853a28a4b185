package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.EvictionApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Evict rules: a key property of the evicting method's argument, and all: true. */
class EvictionTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void saveEvictsTheSavedKeyAndSaveAllEvictsEveryKey(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: product",
            "    method: dev.tieredcache.it.apps.ProductRepository+#findById(java.lang.String)",
            "    key: \"{0}\"",
            "  - name: product-saved",
            "    method: dev.tieredcache.it.apps.ProductRepository+#save(dev.tieredcache.it.apps.Product)",
            "    evict: {rule: product, key: \"{0.id}\"}",
            "  - name: products-saved",
            "    method: dev.tieredcache.it.apps.ProductRepository+#saveAll(..)",
            "    evict: {rule: product, all: true}")
        .run(EvictionApp.class);

    run.assertHealthyAgent();
    assertThat(run.longResult("loadsAfterRepeatedFind")).as(run.context("loads of p1 found twice, no save"))
        .isEqualTo(1);
    assertThat(run.result("findAfterSave")).as(run.context("p1 found after save(p1)")).isEqualTo("steel kettle");
    assertThat(run.longResult("loadsAfterSave")).as(run.context("loads after save(p1) and a find")).isEqualTo(2);
    assertThat(run.longResult("loadsAfterFindingAgain")).as(run.context("loads after one more find of p1"))
        .isEqualTo(2);
    assertThat(run.longResult("loadsAfterUnrelatedSave"))
        .as(run.context("loads after finding p2, save(p3), and finding p1 and p2 again")).isEqualTo(3);
    assertThat(run.result("findP1AfterSaveAll")).as(run.context("p1 after saveAll")).isEqualTo("copper kettle");
    assertThat(run.result("findP2AfterSaveAll")).as(run.context("p2 after saveAll")).isEqualTo("red toaster");
    assertThat(run.longResult("loadsAfterSaveAll")).as(run.context("loads after saveAll and finding p1, p2"))
        .isEqualTo(5);
    assertThat(run.longResult("loadsAfterFindingAllAgain")).as(run.context("loads after finding p1, p2 again"))
        .isEqualTo(5);
  }
}
