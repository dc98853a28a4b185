package dev.tieredcache.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.apps.StatsSequenceApp;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's log events that need no Redis, in a forked JVM with the real jar: the start-up line names the rules;
 * {@code metrics.stats-interval} writes one line per caching rule each interval, and the counts of a rule's lines add
 * up to exactly what the app's calls did; the check some time after start-up says how many methods each rule
 * instrumented.
 */
class LogEventsTest {

  private static final Pattern STATS_LINE = Pattern.compile(
      "\\[tiered-cache] INFO stats rule=(\\S+) ((?:[a-z.]+=\\d+ )+)\\(last (\\S+)\\)");

  @TempDir
  Path dir;

  @OnEachJdk
  void statsLinesComeEveryIntervalForEachRuleAndAddUpToWhatTheCallsDid(TestJdk jdk) {
    ForkedRun run = ForkedJvm.on(jdk, dir)
        .systemProperty("tiered.cache.unmatched-rules-after-ms", "1500")
        .rules("metrics: {stats-interval: 1s}",
            "rules:",
            "  - name: price",
            "    method: " + MemoryCachingTest.PRICE_RULE_METHOD,
            "  - name: level",
            "    method: dev.tieredcache.it.cliapps.StockLevels#level(java.lang.String)",
            "  - name: price-changed",
            "    method: dev.tieredcache.it.apps.SlowCatalog#version(java.lang.String)",
            "    evict: {rule: price, all: true}")
        .run(StatsSequenceApp.class);

    run.assertHealthyAgent();
    assertThat(run.longResult("priceUpstreamCalls")).as(run.context("price upstream calls")).isEqualTo(2);
    assertThat(run.longResult("levelUpstreamCalls")).as(run.context("level upstream calls")).isEqualTo(1);
    assertThat(run.agentLines("INFO")).as(run.context("the start-up line")).anyMatch(line -> line.startsWith(
        "[tiered-cache] INFO started: 2 caching and 1 evict rules from " + dir.resolve("rules.yaml")
            + " (tiers: memory); rules: price, level, price-changed (evict)"));
    assertThat(run.agentLines("WARN")).as(run.context("no warning that stats-interval has no effect")).isEmpty();
    assertThat(run.agentLines("INFO")).as(run.context("the methods each rule instrumented, 1.5 s after start-up"))
        .contains("[tiered-cache] INFO methods instrumented 1500 ms after the rules were put in place, per rule:"
            + " price=1, level=1, price-changed=1");

    List<String> lines = run.agentLines("INFO").stream().filter(l -> l.contains(" stats rule="))
        .collect(Collectors.toList());
    Map<String, Map<String, Long>> sums = new HashMap<>();
    Map<String, Integer> linesPerRule = new HashMap<>();
    Map<String, Long> lastEntries = new HashMap<>();
    for (String line : lines) {
      Matcher m = STATS_LINE.matcher(line);
      assertThat(m.matches()).as(run.context("a stats line in the stable format: " + line)).isTrue();
      String rule = m.group(1);
      assertThat(m.group(3)).as(run.context("time covered by " + line)).isIn("1s", "2s");
      linesPerRule.merge(rule, 1, Integer::sum);
      for (String pair : m.group(2).trim().split(" ")) {
        String[] kv = pair.split("=");
        if (kv[0].equals("entries")) {
          lastEntries.put(rule, Long.parseLong(kv[1]));
        } else {
          sums.computeIfAbsent(rule, r -> new HashMap<>()).merge(kv[0], Long.parseLong(kv[1]), Long::sum);
        }
      }
    }
    assertThat(linesPerRule.keySet()).as(run.context("rules with stats lines: the caching rules, not the evict rule"))
        .containsExactlyInAnyOrder("price", "level");
    assertThat(linesPerRule.get("price")).as(run.context("stats lines of price within 2.5 s at 1s")).isBetween(2, 4);
    assertThat(linesPerRule.get("level")).as(run.context("stats lines of level")).isEqualTo(linesPerRule.get("price"));
    assertThat(sums.get("price")).as(run.context("price's counts over all its lines"))
        .containsEntry("hits.fresh", 2L).containsEntry("misses", 2L).containsEntry("loads", 2L)
        .containsEntry("hits.stale", 0L).containsEntry("load.errors", 0L).containsEntry("evictions", 0L);
    assertThat(sums.get("level")).as(run.context("level's counts over all its lines"))
        .containsEntry("hits.fresh", 1L).containsEntry("misses", 1L).containsEntry("loads", 1L);
    assertThat(lastEntries).as(run.context("entries in memory on each rule's last line"))
        .containsEntry("price", 2L).containsEntry("level", 1L);
  }
}
