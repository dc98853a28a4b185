package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.KeyProblemApp;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** A problem inside the agent never reaches the host: the call runs uncached, returns its own value, and is logged. */
class HostSafetyTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void keyThatCannotBeMadeLeavesTheCallUncachedAndCorrect(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: label",
            "    method: dev.tieredcache.it.apps.Labels#labelOf(java.lang.Object)",
            "    key: \"{0.nope}\"",
            "  - name: coupon",
            "    method: dev.tieredcache.it.apps.Labels#couponText(dev.tieredcache.it.apps.Coupon)",
            "    key: \"{0.code}\"")
        .run(KeyProblemApp.class);

    assertThat(run.exitCode()).as(run.context("exit status")).isZero();
    run.assertNoTransformationError();
    assertThat(run.result("unexpected")).as(run.context("what a call returned or threw that it should not have"))
        .isEqualTo("none");
    assertThat(run.longResult("rightLabels")).as(run.context("labelOf calls with the right value")).isEqualTo(100);
    assertThat(run.longResult("labelCalls")).as(run.context("labelOf runs: uncached, each call")).isEqualTo(100);
    assertThat(run.longResult("rightCoupons")).as(run.context("couponText calls with the right value"))
        .isEqualTo(100);
    assertThat(run.longResult("couponCalls")).as(run.context("couponText runs: uncached, each call"))
        .isEqualTo(100);
    assertThat(run.stderr()).as(run.context("the missing property is logged, rate-limited (not per call)"))
        .filteredOn(line -> line.startsWith(ForkedRun.AGENT_PREFIX) && line.contains("nope"))
        .hasSizeBetween(1, 3);
    assertThat(run.stderr()).as(run.context("the failing getter is logged, rate-limited (not per call)"))
        .filteredOn(line -> line.startsWith(ForkedRun.AGENT_PREFIX)
            && (line.contains("Coupon") || line.contains("getCode")))
        .hasSizeBetween(1, 3);
  }
}
