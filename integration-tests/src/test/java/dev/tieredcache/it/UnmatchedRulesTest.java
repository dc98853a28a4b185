package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.IdleAfterOneCallApp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rule that has instrumented nothing some time after start-up (30 s by default; 2.5 s here) gets one WARN that
 * names it and suggests the nearest loaded name, so a misspelt class or method does not silently leave caching off.
 */
class UnmatchedRulesTest {

  @TempDir
  Path dir;

  @OnEachJdk
  void aRuleNamingAMisspeltClassGetsOneWarningWithTheNearestLoadedName(TestJdk jdk) {
    // (a misspelt method of a class on the class path stops the start already: the rules file check finds it)
    ForkedRun run = ForkedJvm.on(jdk, dir)
        // the check runs once the class of the matched rule is loaded (its first load also sets up the class
        // transformation, which takes a while on a busy machine) and before the app ends
        .systemProperty("tiered.cache.unmatched-rules-after-ms", "2500")
        .systemProperty("app.idle.ms", "5000")
        .rules("rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
            "  - name: misspelt-class",
            "    method: dev.tieredcache.it.apps.SlowCatalogue#price(java.lang.String)")
        .run(IdleAfterOneCallApp.class);

    run.assertHealthyAgent();
    assertThat(run.longResult("upstreamCalls")).as(run.context("the matched rule still caches")).isEqualTo(1);
    List<String> warnings = run.agentLines("WARN").stream().filter(l -> l.contains("has cached nothing"))
        .collect(Collectors.toList());
    assertThat(warnings).as(run.context("warnings about rules that matched nothing")).hasSize(1);
    assertThat(warnings).noneMatch(l -> l.contains("rule 'price'"));
    assertThat(warnings).anySatisfy(l -> assertThat(l).contains("rule 'misspelt-class'")
        .contains("no loaded class is named dev.tieredcache.it.apps.SlowCatalogue")
        .contains("did you mean dev.tieredcache.it.apps.SlowCatalog?"));
  }
}
