package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tieredcache.it.cliapps.LiveCatalogApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.micrometer: true} in an application without Micrometer: one WARN that says how to fix it, at the
 * first call of a cached method (not at start-up, when a fat jar's loader is not there yet), never an error, and
 * caching as without the setting.
 */
class MicrometerAbsentTest {

  @TempDir
  Path dir;

  @Test
  void anApplicationWithoutMicrometerGetsOneWarningWithTheFixAndCachesAsUsual() {
    ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
        .rules("metrics: {micrometer: true}",
            "rules:",
            "  - name: stock",
            "    method: dev.tieredcache.it.cliapps.StockLevels#level(java.lang.String)");
    ForkedRun run;
    try (LiveJvm app = jvm.start(LiveCatalogApp.class)) {
      app.command("report");
      assertThat(warnings(app.snapshot())).as(app.context("Micrometer warnings before any cached call")).isEmpty();

      app.command("stock 4 2");
      await().atMost(Duration.ofSeconds(20)).until(() -> !warnings(app.snapshot()).isEmpty());
      assertThat(app.longResult("stockUpstream")).as(app.context("stock upstream calls of 4 over 2 keys"))
          .isEqualTo(2);
      run = app.stop();
    }
    run.assertHealthyAgent();
    assertThat(warnings(run)).as(run.context("Micrometer warnings")).singleElement().asString()
        .contains("metrics.micrometer is true, but Micrometer")
        .contains("dev.tieredcache.it.cliapps.StockLevels")
        .contains("Add micrometer-core to the application")
        .contains("set metrics.micrometer: false");
  }

  private static List<String> warnings(ForkedRun run) {
    return run.agentLines("WARN").stream().filter(line -> line.contains("metrics.micrometer"))
        .collect(Collectors.toList());
  }
}
