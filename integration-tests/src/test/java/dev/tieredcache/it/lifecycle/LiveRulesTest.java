package dev.tieredcache.it.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.OnEachJdk;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §2: attaching to a running JVM caches the named methods; attaching again replaces the rules (methods no
 * longer named run their original code, a rule kept keeps its entries); detaching restores every method and
 * leaves no tiered-cache thread; {@code watch: true} reloads a changed file. The app calls four keys in a loop
 * throughout, and must never see an exception.
 */
class LiveRulesTest {

  private static final String PRICE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";

  private static final String[] PRICE_RULES = {
    "rules:",
    "  - name: price",
    "    method: " + PRICE_METHOD,
    "    ttl: 1h",
  };

  /** Rules that name another method only: the price method runs uncached under them. */
  private static final String[] OTHER_RULES = {
    "rules:",
    "  - name: nickname",
    "    method: dev.tieredcache.it.apps.Directory#nickname(java.lang.String)",
  };

  @TempDir
  Path dir;

  private static ForkedJvm lateAgentsAllowed(ForkedJvm jvm, TestJdk jdk) {
    return jdk.feature() >= 21 ? jvm.jvmOption("-XX:+EnableDynamicAgentLoading") : jvm;
  }

  @OnEachJdk
  void attachCachesAndDetachRestoresTheOriginalMethodsWithoutLeavingAThread(TestJdk jdk) throws Exception {
    ForkedJvm jvm = lateAgentsAllowed(ForkedJvm.on(jdk, dir).withoutAgent(), jdk);
    Path rules = jvm.writeRules("price.yaml", PRICE_RULES);
    try (LiveApp app = LiveApp.start(jdk, jvm, dir)) {
      assertThat(app.upstreamGrowthOver(300)).as("uncached before the attach").isGreaterThan(20);

      app.attach(rules);
      LiveApp.sleep(1_000);
      assertThat(app.upstreamGrowthOver(500)).as("a second after the attach: every key cached").isZero();

      app.detach();
      assertThat(app.awaitStatus("no tiered-cache thread after the detach", s -> s.agentThreads().isEmpty())
          .agentThreads()).isEmpty();
      assertThat(app.upstreamGrowthOver(300)).as("uncached again after the detach").isGreaterThan(20);

      app.attach(rules);
      LiveApp.sleep(1_000);
      assertThat(app.upstreamGrowthOver(500)).as("attached again after a detach").isZero();

      ForkedRun run = app.finish();
      run.assertNoTransformationError();
      assertThat(run.longResult("errors")).as(run.context("calls that threw in the app")).isZero();
      assertThat(run.stderr()).as(run.context("the JVM's warning about a late agent"))
          .noneMatch(line -> line.contains("A Java agent has been loaded dynamically"));
      assertThat(run.agentLines("INFO")).as(run.context("the agent's own lines"))
          .anyMatch(line -> line.contains("detached: every method runs its original code again"));
    }
  }

  @OnEachJdk
  void detachingAnAgentWithRedisAndABackplaneStopsEveryThreadItStarted(TestJdk jdk) throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      ForkedJvm jvm = lateAgentsAllowed(ForkedJvm.on(jdk, dir).withoutAgent(), jdk);
      Path rules = jvm.writeRules("redis.yaml", "redis:", "  url: " + redis.url(), "backplane: true",
          "metrics: {stats-interval: 1s}", PRICE_RULES[0], PRICE_RULES[1], PRICE_RULES[2], PRICE_RULES[3]);
      try (LiveApp app = LiveApp.start(jdk, jvm, dir)) {
        app.attach(rules);
        app.awaitStatus("the backplane subscribed", s -> s.agentThreads().contains("tiered-cache-backplane"));
        LiveApp.sleep(1_000);
        assertThat(app.upstreamGrowthOver(300)).isZero();
        assertThat(app.status().agentThreads()).as("threads of the agent's libraries")
            .doesNotContain("commons-pool").doesNotContain("ForkJoinPool");
        assertThat(app.status().agentThreads()).as("the stats-interval's thread").contains("tiered-cache-stats");

        app.detach();
        assertThat(app.awaitStatus("no agent thread after the detach", s -> s.agentThreads().isEmpty())
            .agentThreads()).isEmpty();
        assertThat(app.upstreamGrowthOver(300)).isGreaterThan(20);

        ForkedRun run = app.finish();
        run.assertNoTransformationError();
        assertThat(run.longResult("errors")).isZero();
      }
    }
  }

  @OnEachJdk
  void attachingOtherRulesUncachesAMethodAndAttachingTheFirstAgainCachesIt(TestJdk jdk) throws Exception {
    ForkedJvm jvm = lateAgentsAllowed(ForkedJvm.on(jdk, dir).rules(PRICE_RULES), jdk);
    Path other = jvm.writeRules("other.yaml", OTHER_RULES);
    try (LiveApp app = LiveApp.start(jdk, jvm, dir)) {
      app.awaitStatus("the four keys loaded", s -> s.upstream() >= 4);
      assertThat(app.upstreamGrowthOver(300)).as("cached from the start").isZero();
      assertThat(app.status().upstream()).as("one database call per key").isEqualTo(4);

      app.attach(other);
      LiveApp.sleep(200);
      assertThat(app.upstreamGrowthOver(300)).as("rules without the price rule: uncached").isGreaterThan(20);

      app.attach(jvm.rulesFile());
      LiveApp.sleep(1_000);
      long before = app.status().upstream();
      assertThat(app.upstreamGrowthOver(500)).as("the first rules again: cached").isZero();

      ForkedRun run = app.finish();
      run.assertNoTransformationError();
      assertThat(run.longResult("errors")).as(run.context("calls that threw in the app")).isZero();
      assertThat(run.agentLines("INFO")).as(run.context("the replacements"))
          .filteredOn(line -> line.contains("rules replaced")).hasSize(2);
      assertThat(before).isPositive();
    }
  }

  @OnEachJdk
  void aRuleKeptWithTheSameNameAndMethodKeepsItsEntries(TestJdk jdk) throws Exception {
    ForkedJvm jvm = lateAgentsAllowed(ForkedJvm.on(jdk, dir).rules(PRICE_RULES), jdk);
    Path changed = jvm.writeRules("changed.yaml", "rules:",
        "  - name: price",
        "    method: " + PRICE_METHOD,
        "    ttl: 2h",
        "  - name: nickname",
        "    method: dev.tieredcache.it.apps.Directory#nickname(java.lang.String)");
    try (LiveApp app = LiveApp.start(jdk, jvm, dir)) {
      app.awaitStatus("the four keys loaded", s -> s.upstream() >= 4);

      app.attach(changed);
      assertThat(app.upstreamGrowthOver(500)).as("the kept rule serves the entries it had").isZero();
      assertThat(app.status().upstream()).isEqualTo(4);

      ForkedRun run = app.finish();
      run.assertNoTransformationError();
      assertThat(run.longResult("errors")).isZero();
      assertThat(run.agentLines("INFO")).as(run.context("the replacement"))
          .anyMatch(line -> line.contains("rules replaced from " + changed + ": kept [price], new [nickname],"
              + " removed []"));
    }
  }

  @OnEachJdk
  void aWatchedRulesFileIsReloadedWhenItChangesAndAnInvalidOneIsIgnored(TestJdk jdk) throws Exception {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).rules("watch: true", PRICE_RULES[0], PRICE_RULES[1], PRICE_RULES[2],
        PRICE_RULES[3]);
    try (LiveApp app = LiveApp.start(jdk, jvm, dir)) {
      app.awaitStatus("the four keys loaded", s -> s.upstream() >= 4);
      assertThat(app.upstreamGrowthOver(300)).isZero();

      jvm.writeRules("rules.yaml", "watch: true", OTHER_RULES[0], OTHER_RULES[1], OTHER_RULES[2]);
      LiveApp.sleep(1_500);
      assertThat(app.upstreamGrowthOver(300)).as("the price rule left the watched file").isGreaterThan(20);

      jvm.writeRules("rules.yaml", "watch: true", "rules:", "  - name: price", "    method: nowhere");
      LiveApp.sleep(1_500);
      assertThat(app.upstreamGrowthOver(300)).as("an invalid file changes nothing").isGreaterThan(20);

      jvm.writeRules("rules.yaml", "watch: true", PRICE_RULES[0], PRICE_RULES[1], PRICE_RULES[2],
          PRICE_RULES[3]);
      LiveApp.sleep(1_500);
      assertThat(app.upstreamGrowthOver(500)).as("the price rule is back").isZero();

      ForkedRun run = app.finish();
      run.assertNoTransformationError();
      assertThat(run.longResult("errors")).isZero();
      assertThat(run.agentLines("ERROR")).as(run.context("the invalid file's report"))
          .anyMatch(line -> line.contains("rules.yaml:4:13: invalid method pattern"))
          .anyMatch(line -> line.contains("the changed rules file is not used"));
    }
  }
}
