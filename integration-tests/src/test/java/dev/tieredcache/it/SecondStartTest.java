package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.HitAfterLoadApp;
import dev.tieredcache.it.apps.SelfAttachApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second start of the agent in a JVM that already runs it (the jar given twice, or attached again) replaces the
 * rules of the first: never a second set-up beside the first, whose advice would reach the other's sites.
 */
class SecondStartTest {

  /** Rules that instrument the first file's method again under another rule and add a rule of their own. */
  private static final String[] OTHER_RULES = {
    "rules:",
    "  - name: nickname",
    "    method: dev.tieredcache.it.apps.Directory#nickname(java.lang.String)",
    "  - name: price-again",
    "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
    "    key: \"again:{0}\"",
  };

  @TempDir
  Path dir;

  @OnEachJdk
  void aSecondJavaagentReplacesTheFirstRules(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD)
        .secondAgentRules(OTHER_RULES);
    ForkedRun run = jvm.run(HitAfterLoadApp.class);

    run.assertHealthyAgent();
    assertThat(run.agentLines("ERROR")).as(run.context("the agent's ERROR lines")).isEmpty();
    assertThat(run.agentLines("INFO")).as(run.context("start-up lines")).filteredOn(line -> line.contains("started"))
        .containsExactly("[tiered-cache] INFO started: 1 caching and 0 evict rules from " + jvm.rulesFile()
            + " (tiers: memory); rules: price");
    assertThat(run.agentLines("INFO")).as(run.context("the replacement"))
        .contains("[tiered-cache] INFO rules replaced from " + dir.resolve("rules-second.yaml")
            + ": kept [], new [nickname, price-again], removed [price]");
    assertThat(run.result("first")).as(run.context("first call")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("second call, cached by price-again")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
  }

  @OnEachJdk
  void attachingToAJvmThatRunsTheAgentReplacesItsRules(TestJdk jdk) throws IOException {
    Path otherRules = dir.resolve("attached.yaml");
    Files.write(otherRules, List.of(OTHER_RULES));
    ForkedJvm jvm = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD)
        .systemProperty("jdk.attach.allowAttachSelf", "true");
    if (jdk.feature() >= 21) {
      jvm.jvmOption("-XX:+EnableDynamicAgentLoading");
    }
    ForkedRun run = jvm.run(SelfAttachApp.class, AgentJar.path().toString(), otherRules.toString());

    run.assertHealthyAgent();
    assertThat(run.result("attach")).as(run.context("the attach itself")).isEqualTo("returned");
    assertThat(run.agentLines("ERROR")).as(run.context("the agent's ERROR lines")).isEmpty();
    assertThat(run.result("first")).as(run.context("call before the attach")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("call after the attach: a new rule, loaded again"))
        .isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls: one per rule")).isEqualTo(2);
  }
}
