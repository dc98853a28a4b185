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
 * A second start of the agent in a JVM that already runs it (the jar given twice, or attached again) is refused in
 * one line, and the first set-up goes on as if nothing had happened.
 */
class SecondStartTest {

  /**
   * Rules that, were they set up beside the first ones, would instrument the first file's method again under
   * another rule and add a rule of their own.
   */
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
  void secondJavaagentIsRefusedAndTheFirstRulesKeepCaching(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD)
        .secondAgentRules(OTHER_RULES);
    ForkedRun run = jvm.run(HitAfterLoadApp.class);

    assertThat(run.exitCode()).as(run.context("exit status")).isZero();
    run.assertNoTransformationError();
    assertThat(run.agentLines("ERROR")).as(run.context("the agent's ERROR lines: the refusal, and nothing else"))
        .containsExactly(refusal(jvm.rulesFile(), dir.resolve("rules-second.yaml")));
    assertThat(run.agentLines("INFO")).as(run.context("start-up lines")).filteredOn(line -> line.contains("started"))
        .containsExactly("[tiered-cache] INFO started: 1 caching and 0 evict rules from " + jvm.rulesFile()
            + " (tiers: memory)");
    assertThat(run.result("first")).as(run.context("first call")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("second call")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
  }

  @OnEachJdk
  void attachToAJvmThatRunsTheAgentIsRefusedAndTheFirstRulesKeepCaching(TestJdk jdk) throws IOException {
    Path otherRules = dir.resolve("attached.yaml");
    Files.write(otherRules, List.of(OTHER_RULES));
    ForkedJvm jvm = ForkedJvm.on(jdk, dir)
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD)
        .systemProperty("jdk.attach.allowAttachSelf", "true");
    ForkedRun run = jvm.run(SelfAttachApp.class, AgentJar.path().toString(), otherRules.toString());

    assertThat(run.exitCode()).as(run.context("exit status")).isZero();
    run.assertNoTransformationError();
    assertThat(run.result("attach")).as(run.context("the attach itself")).isEqualTo("returned");
    assertThat(run.agentLines("ERROR")).as(run.context("the agent's ERROR lines: the refusal, and nothing else"))
        .containsExactly(refusal(jvm.rulesFile(), otherRules));
    assertThat(run.result("first")).as(run.context("call before the attach")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("call after the attach")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls")).isEqualTo(1);
  }

  private static String refusal(Path running, Path refused) {
    return "[tiered-cache] ERROR the agent is already running in this JVM with the rules from " + running + ", so "
        + refused + " is not loaded: this version cannot replace the rules of a running agent; restart the JVM"
        + " with the new file";
  }
}
