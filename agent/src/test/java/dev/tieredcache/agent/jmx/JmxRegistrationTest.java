package dev.tieredcache.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.LoadDurations;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's MBeans appear in the platform MBean server, show the rules' counters, and go away on unregister. */
class JmxRegistrationTest {

  private static final String RULES = String.join("\n",
      "namespace: shop",
      "rules:",
      "  - name: price",
      "    method: com.acme.Catalog#price(java.lang.String)",
      "  - name: product",
      "    method: com.acme.ProductRepository+#findById(..)",
      "    tiers: [memory]",
      "  - name: product-saved",
      "    method: com.acme.ProductRepository+#save(..)",
      "    evict: {rule: product, key: \"{0.id}\"}",
      "");

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

  private RulesFile start() throws Exception {
    RulesFile rules = RulesParser.parse("/srv/rules.yaml", RULES, Map.<String, String>of()::get);
    cache = TieredCache.builder().namespace(rules.namespace()).build();
    for (RuleSpec rule : rules.rules()) {
      if (!rule.isEvict()) {
        cache.addRule(rule.policy());
      }
    }
    registration = JmxRegistration.register("/srv/rules.yaml", rules, cache, () -> 3, () -> 0);
    return rules;
  }

  @Test
  void agentAndEachCachingRuleHaveAnMBeanInOneDomain() throws Exception {
    start();
    assertThat(server.queryNames(new ObjectName(JmxRegistration.DOMAIN + ":*"), null)).containsExactlyInAnyOrder(
        new ObjectName("dev.tieredcache:type=Agent"),
        new ObjectName("dev.tieredcache:type=Rule,name=price"),
        new ObjectName("dev.tieredcache:type=Rule,name=product"));
    assertThat(registration.names()).startsWith(JmxRegistration.agentName());
  }

  @Test
  void agentAttributesDescribeTheRulesAndTiers() throws Exception {
    start();
    AgentMBean agent = JMX.newMBeanProxy(server, JmxRegistration.agentName(), AgentMBean.class);
    assertThat(agent.getRulesFile()).isEqualTo("/srv/rules.yaml");
    assertThat(agent.getRulesLoaded()).isEqualTo(3);
    assertThat(agent.getCachingRules()).isEqualTo(2);
    assertThat(agent.getEvictRules()).isEqualTo(1);
    assertThat(agent.getInstrumentedMethods()).isEqualTo(3);
    assertThat(agent.getTransformErrors()).isZero();
    assertThat(agent.getNamespace()).isEqualTo("shop");
    assertThat(agent.getRedis()).isEqualTo("not configured");
    assertThat(agent.getRedisState()).isEqualTo("not configured");
    assertThat(agent.isCircuitOpen()).isFalse();
    assertThat(agent.getBackplaneState()).isEqualTo("off");
    assertThat(agent.getVersion()).isEqualTo(AgentStatus.UNKNOWN_VERSION);
    assertThat(agent.getLoadedAt()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void ruleAttributesFollowTheRulesCounters() throws Exception {
    start();
    RuleCache price = cache.rule("price").orElseThrow();
    Object miss = price.begin("sku-1", null, null, "sku-1");
    assertThat(miss).isInstanceOf(Load.class);
    price.complete((Load) miss, "12.50", null);
    assertThat(price.begin("sku-1", null, null, "sku-1")).isEqualTo("12.50");
    assertThat(price.begin("sku-1", null, null, "sku-1")).isEqualTo("12.50");

    RuleMBean rule = JMX.newMBeanProxy(server, JmxRegistration.ruleName("price"), RuleMBean.class);
    assertThat(rule.getName()).isEqualTo("price");
    assertThat(rule.getMethod()).isEqualTo("com.acme.Catalog#price(java.lang.String)");
    assertThat(rule.getTiers()).isEqualTo("memory");
    assertThat(rule.getMisses()).isEqualTo(1);
    assertThat(rule.getLoads()).isEqualTo(1);
    assertThat(rule.getFreshHits()).isEqualTo(2);
    assertThat(rule.getStaleHits()).isZero();
    assertThat(rule.getMemoryEntries()).isEqualTo(1);
    assertThat(rule.getLoadErrors()).isZero();
    assertThat(rule.getLoadSuccesses()).isEqualTo(1);
    assertThat(rule.getRedisFreshHits()).isZero();
    assertThat(rule.getRedisStaleHits()).isZero();
    assertThat(rule.getLoadDurationBounds()).hasSize(LoadDurations.BOUNDS.size()).startsWith(0.001, 0.0025);
    long[] buckets = rule.getLoadDurationBuckets();
    assertThat(buckets).hasSize(LoadDurations.BOUNDS.size() + 1);
    assertThat(buckets[buckets.length - 1]).isEqualTo(1);
    assertThat(rule.getLoadSeconds()).isGreaterThanOrEqualTo(0.0);
    assertThat(rule.getLoadAverageMillis()).isCloseTo(rule.getLoadSeconds() * 1000, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void everyAttributeIsReadOnly() throws Exception {
    start();
    for (ObjectName name : registration.names()) {
      for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
        assertThat(attribute.isWritable()).as(name + " " + attribute.getName()).isFalse();
        assertThat(attribute.isReadable()).as(name + " " + attribute.getName()).isTrue();
      }
    }
  }

  @Test
  void unregisterRemovesEveryMBeanAndASecondCallDoesNothing() throws Exception {
    start();
    registration.unregister();
    assertThat(server.queryNames(new ObjectName(JmxRegistration.DOMAIN + ":*"), null)).isEmpty();
    registration.unregister();
    assertThat(registration.names()).isEmpty();
  }

  @Test
  void aReplacedRegistrationLeavesItsSuccessorsMBeansWhenItUnregisters() throws Exception {
    start();
    JmxRegistration first = registration;
    RulesFile rules = RulesParser.parse("/srv/other.yaml", RULES, Map.<String, String>of()::get);
    registration = JmxRegistration.register("/srv/other.yaml", rules, cache, () -> 0, () -> 0);
    assertThat(JMX.newMBeanProxy(server, JmxRegistration.agentName(), AgentMBean.class).getRulesFile())
        .isEqualTo("/srv/other.yaml");
    first.unregister();
    assertThat(server.isRegistered(JmxRegistration.agentName())).as("the replacement's MBean, after the first"
        + " registration unregistered").isTrue();
    assertThat(server.isRegistered(JmxRegistration.ruleName("price"))).isTrue();
    registration.unregister();
    assertThat(server.queryNames(new ObjectName(JmxRegistration.DOMAIN + ":*"), null)).isEmpty();
  }
}
