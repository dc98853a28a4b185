package dev.tieredcache.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics.stats-interval}: one line per caching rule, in a stable format, with what its counters did since the
 * rule's previous line. Time is a clock the test moves, and the test writes the lines itself ({@link StatsLog#report}),
 * so nothing here waits.
 */
class StatsLogTest {

  private static final String RULES = String.join("\n",
      "rules:",
      "  - name: price",
      "    method: com.acme.Catalog#price(java.lang.String)",
      "    ttl: 1h",
      "  - name: stock",
      "    method: com.acme.Catalog#stock(java.lang.String)",
      "    ttl: 1h",
      "  - name: price-changed",
      "    method: com.acme.Catalog#reprice(java.lang.String)",
      "    evict: {rule: price, key: \"{0}\"}",
      "");
  private static final String ZEROS_AFTER_LOADS =
      "load.errors=0 refreshes=0 stale.on.error=0 coalesced.waits=0 evictions=0 redis.hits=0 redis.errors=0"
          + " backplane.in=0 backplane.out=0 hits.fresh.redis=0 hits.stale.redis=0";

  /** The counters after {@link #ZEROS_AFTER_LOADS}: the loads that returned, and the time they took (none). */
  private static String loadsOk(int loads) {
    return " load.successes=" + loads + " load.time.ms=0";
  }

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  /** The test's time, for loads too: a load takes no time unless the test moves the clock. */
  private final CacheClock clock = new CacheClock() {
    @Override
    public long millis() {
      return now.get();
    }

    @Override
    public long nanos() {
      return now.get() * 1_000_000L;
    }
  };
  private final List<String> written = new CopyOnWriteArrayList<>();
  private TieredCache cache;

  @AfterEach
  void close() {
    if (cache != null) {
      cache.close();
    }
  }

  private TieredCache start(String rulesText) throws Exception {
    RulesFile rules = RulesParser.parse("/srv/rules.yaml", rulesText, Map.<String, String>of()::get);
    cache = TieredCache.builder().clock(clock).build();
    for (RuleSpec rule : rules.rules()) {
      if (!rule.isEvict()) {
        cache.addRule(rule.policy());
      }
    }
    return cache;
  }

  private void advance(Duration by) {
    now.addAndGet(by.toMillis());
  }

  /** A call of the rule's method as the advice makes it, the upstream answering {@code key + "@v1"}. */
  private static void call(RuleCache rule, String key) {
    Object r = rule.begin(key, null, null, key);
    if (r instanceof Load) {
      rule.complete((Load) r, key + "@v1", null);
    }
  }

  @Test
  void aLineNamesTheRuleThenEveryCounterInTheSnapshotsOrderThenEntriesAndTheTimeCovered() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("hits.fresh", 14L);
    counts.put("misses", 3L);
    counts.put("loads", 3L);
    Map<String, Long> before = Map.of("hits.fresh", 2L, "misses", 1L, "loads", 1L);

    assertThat(StatsLog.line("price", counts, before, 7, Duration.ofSeconds(60)))
        .isEqualTo("stats rule=price hits.fresh=12 misses=2 loads=2 entries=7 (last 1m)");
    assertThat(StatsLog.line("price", counts, null, 0, Duration.ofSeconds(5)))
        .isEqualTo("stats rule=price hits.fresh=14 misses=3 loads=3 entries=0 (last 5s)");
  }

  @Test
  void theTimeCoveredIsRoundedToTheSecondAndWrittenLikeARulesFileDuration() {
    assertThat(StatsLog.describe(Duration.ofMillis(59_999))).isEqualTo("1m");
    assertThat(StatsLog.describe(Duration.ofMillis(60_004))).isEqualTo("1m");
    assertThat(StatsLog.describe(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(StatsLog.describe(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(StatsLog.describe(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(StatsLog.describe(Duration.ofMinutes(61))).isEqualTo("61m");
  }

  @Test
  void eachLineCountsWhatTheRuleDidSinceItsPreviousLineOneLinePerCachingRule() throws Exception {
    start(RULES);
    StatsLog stats = new StatsLog(cache, Duration.ofMinutes(1), written::add);
    RuleCache price = cache.rule("price").orElseThrow();
    call(price, "sku-1");
    call(price, "sku-1");
    call(price, "sku-1");
    call(price, "sku-2");
    advance(Duration.ofMinutes(1));

    assertThat(stats.report()).containsExactly(
        "stats rule=price hits.fresh=2 hits.stale=0 misses=2 loads=2 " + ZEROS_AFTER_LOADS + loadsOk(2)
            + " entries=2 (last 1m)",
        "stats rule=stock hits.fresh=0 hits.stale=0 misses=0 loads=0 " + ZEROS_AFTER_LOADS + loadsOk(0)
            + " entries=0 (last 1m)");

    call(price, "sku-2");
    advance(Duration.ofMinutes(1));
    assertThat(stats.report()).first().isEqualTo(
        "stats rule=price hits.fresh=1 hits.stale=0 misses=0 loads=0 " + ZEROS_AFTER_LOADS + loadsOk(0)
            + " entries=2 (last 1m)");
    assertThat(written).hasSize(4);
  }

  @Test
  void aRuleKeptThroughAReplacementGoesOnFromItsLastLineAndANewRuleCountsFromWhenItWasPutInPlace() throws Exception {
    start(RULES);
    StatsLog stats = new StatsLog(cache, Duration.ofMinutes(1), written::add);
    call(cache.rule("price").orElseThrow(), "sku-1");
    advance(Duration.ofSeconds(20));
    List<RulePolicy> policies = new ArrayList<>();
    policies.add(cache.rule("price").orElseThrow().policy());
    policies.add(RulesParser.parse("/srv/rules.yaml", String.join("\n", "rules:", "  - name: label",
        "    method: com.acme.Catalog#label(java.lang.String)", ""), Map.<String, String>of()::get)
        .rules().get(0).policy());
    cache.replaceRules(policies, Set.of("price"));
    stats.use(cache);
    call(cache.rule("price").orElseThrow(), "sku-1");
    call(cache.rule("label").orElseThrow(), "sku-1");
    advance(Duration.ofSeconds(40));

    assertThat(stats.report()).containsExactly(
        "stats rule=price hits.fresh=1 hits.stale=0 misses=1 loads=1 " + ZEROS_AFTER_LOADS + loadsOk(1)
            + " entries=1 (last 1m)",
        "stats rule=label hits.fresh=0 hits.stale=0 misses=1 loads=1 " + ZEROS_AFTER_LOADS + loadsOk(1)
            + " entries=1 (last 40s)");
  }

  @Test
  void theStatsThreadIsADaemonNamedTieredCacheStatsAndCloseEndsIt() throws Exception {
    start(RULES);
    StatsLog stats = StatsLog.start(cache, Duration.ofHours(1), null);
    try {
      assertThat(threadsNamed("tiered-cache-stats")).singleElement().satisfies(t -> assertThat(t.isDaemon()).isTrue());
    } finally {
      stats.close();
    }
    // the pool has terminated when close returns; its worker thread leaves a moment later
    await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed("tiered-cache-stats").isEmpty());
  }

  @Test
  void anIntervalUnderASecondIsRaisedToOne() {
    assertThat(StatsLog.clamped(Duration.ofMillis(10))).isEqualTo(Duration.ofSeconds(1));
    assertThat(StatsLog.clamped(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
  }

  private static List<Thread> threadsNamed(String name) {
    List<Thread> found = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name) && t.isAlive()) {
        found.add(t);
      }
    }
    return found;
  }
}
