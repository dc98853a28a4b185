package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.HitAfterLoadApp;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/** An invalid rules file at start-up: every error reported at once, and the JVM stopped unless on-error=warn. */
class RulesFileAtStartupTest {

  /** A misspelt key on line 4, column 5, and a value that is no duration on line 7. */
  private static final String[] TWO_ERRORS = {
    "rules:",
    "  - name: price",
    "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
    "    tll: 5s",
    "  - name: stock",
    "    method: dev.tieredcache.it.apps.Inventory#stock(java.lang.String)",
    "    ttl: soon",
  };

  @TempDir
  Path dir;

  @OnEachJdk
  void invalidRulesFileStopsTheJvmBeforeMainWithEveryError(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).rules(TWO_ERRORS);
    ForkedRun run = jvm.run(HitAfterLoadApp.class);

    String file = jvm.rulesFile().toString();
    assertThat(run.exitCode()).as(run.context("exit status with an invalid rules file")).isEqualTo(1);
    assertThat(run.stdout()).as(run.context("stdout: main must never have run")).isEmpty();
    assertThat(run.stderr()).as(run.context("the misspelt key, with its position and a suggestion"))
        .contains("[tiered-cache] ERROR " + file + ":4:5: unknown key 'tll' (did you mean 'ttl'?)");
    Pattern secondError = Pattern.compile(Pattern.quote("[tiered-cache] ERROR " + file + ":7:") + "\\d+: .*soon.*");
    assertThat(run.stderr()).as(run.context("the bad duration on line 7, reported with the first error"))
        .anyMatch(line -> secondError.matcher(line).matches());
    run.assertNoTransformationError();
  }

  @OnEachJdk
  void invalidRulesFileWithOnErrorWarnRunsTheAppUncached(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .rules(TWO_ERRORS)
        .systemProperty("tiered.cache.on-error", "warn")
        .run(HitAfterLoadApp.class);

    assertThat(run.exitCode()).as(run.context("exit status with on-error=warn")).isZero();
    run.assertNoTransformationError();
    assertThat(run.stderr()).as(run.context("the errors are still reported"))
        .anyMatch(line -> line.contains("unknown key 'tll'"));
    assertThat(run.agentLines("WARN")).as(run.context("a warning that the app runs without caching")).isNotEmpty();
    assertThat(run.result("first")).as(run.context("first call")).isEqualTo("sku-1@v1");
    assertThat(run.result("second")).as(run.context("second call")).isEqualTo("sku-1@v1");
    assertThat(run.longResult("upstreamCalls")).as(run.context("upstream calls of an uncached app")).isEqualTo(2);
  }
}
