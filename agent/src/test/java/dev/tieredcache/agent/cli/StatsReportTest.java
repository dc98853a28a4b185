package dev.tieredcache.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.agent.jmx.JmxRegistration;
import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What stats prints, read from the MBeans of an MBean server, here the test JVM's own. */
class StatsReportTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private TieredCache cache;
  private JmxRegistration registration;

  @AfterEach
  void cleanUp() {
    if (registration != null) {
      registration.unregister();
    }
    if (cache != null) {
      cache.close();
    }
  }

  @Test
  void noAgentMBeanMeansNoReport() throws Exception {
    assertThat(StatsReport.read(server, "JVM 1")).isEmpty();
  }

  @Test
  void agentStateThenOneRowPerRuleInNameOrder() throws Exception {
    RulesFile rules = RulesParser.parse("/srv/rules.yaml", String.join("\n",
        "rules:",
        "  - name: stock",
        "    method: com.acme.Stock#level(java.lang.String)",
        "  - name: price",
        "    method: com.acme.Catalog#price(java.lang.String)",
        "  - name: price-saved",
        "    method: com.acme.Catalog#save(..)",
        "    evict: {rule: price, all: true}",
        ""), Map.<String, String>of()::get);
    cache = TieredCache.builder().build();
    for (RuleSpec rule : rules.rules()) {
      if (!rule.isEvict()) {
        cache.addRule(rule.policy());
      }
    }
    registration = JmxRegistration.register("/srv/rules.yaml", rules, cache, () -> 3, () -> 0);
    RuleCache price = cache.rule("price").orElseThrow();
    for (String sku : List.of("a", "b")) {
      price.complete((Load) price.begin(sku, null, null, sku), sku + "@1", null);
    }
    for (int i = 0; i < 5; i++) {
      price.begin("a", null, null, "a");
    }

    List<String> lines = StatsReport.read(server, "JVM 42 (com.acme.Main)");

    assertThat(lines.get(0)).isEqualTo("JVM 42 (com.acme.Main): tiered-cache unknown (not run from"
        + " tiered-cache-agent.jar)");
    assertThat(lines.get(1)).matches("rules: +/srv/rules\\.yaml \\(loaded .*Z\\): 2 caching, 1 evict; 3 methods"
        + " instrumented, 0 transformation errors");
    assertThat(lines.get(2)).isEqualTo("redis:      not configured");
    assertThat(lines.get(3)).isEqualTo("backplane:  off");
    assertThat(lines.get(4)).isEmpty();
    assertThat(lines.get(5).split(" +")).containsExactly("RULE", "HITS-FRESH", "HITS-STALE", "MISSES", "LOADS",
        "LOAD-ERRORS", "STALE-ON-ERROR", "COALESCED", "REFRESHES", "EVICTIONS", "REDIS-HITS", "REDIS-ERRORS", "BP-IN",
        "BP-OUT", "ENTRIES", "LOADS-OK", "LOAD-AVG-MS");
    List<String> priceRow = Arrays.asList(lines.get(6).split(" +"));
    assertThat(priceRow.subList(0, 16))
        .containsExactly("price", "5", "0", "2", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "2", "2");
    assertThat(priceRow.get(16)).matches("\\d+\\.\\d");
    assertThat(Arrays.asList(lines.get(7).split(" +")))
        .containsExactly("stock", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0.0");
    assertThat(lines).hasSize(8);
  }
}
