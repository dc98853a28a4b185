package dev.tieredcache.agent.rules;

import static dev.tieredcache.agent.rules.RulesYaml.errors;
import static dev.tieredcache.agent.rules.RulesYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.RulePolicy.TierKind;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** What a valid rules file says ends up in the model, with the defaults of {@link RulePolicy} where it is silent. */
class RulesFileValuesTest {

  private static final String RULES = "rules:";
  private static final String NAME = "  - name: price";
  private static final String METHOD = "    method: com.acme.Catalog#price(java.lang.String)";

  @Test
  void smallestFileIsARulesListCachedInMemory() throws RulesException {
    RulesFile file = parse(RULES, NAME, METHOD);
    assertThat(file.namespace()).isEqualTo("tiered-cache");
    assertThat(file.logLevel()).isEqualTo("info");
    assertThat(file.redis()).isEmpty();
    assertThat(file.backplane()).isFalse();
    assertThat(file.watch()).isFalse();
    assertThat(file.metrics().jmx()).isTrue();
    assertThat(file.metrics().prometheus()).isEmpty();
    assertThat(file.metrics().micrometer()).isFalse();
    assertThat(file.metrics().statsInterval()).isEqualTo(Duration.ZERO);
    RuleSpec rule = file.rule("price").orElseThrow();
    assertThat(rule.key()).isEmpty();
    assertThat(rule.evict()).isEmpty();
    RulePolicy expected = RulePolicy.builder().name("price").tiers(List.of(TierKind.MEMORY)).build();
    assertThat(rule.policy()).hasToString(expected.toString());
    assertThat(file.rule("other")).isEmpty();
  }

  @Test
  void everyDurationUnitIsRead() throws RulesException {
    RulePolicy p = parse(RULES, NAME, METHOD, "    ttl: 250ms", "    stale-while-revalidate: 5s",
        "    stale-if-error: 10m", "    error-backoff: 2h", "    load-timeout: 1d").rules().get(0).policy();
    assertThat(p.ttl()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.staleIfError()).isEqualTo(Duration.ofMinutes(10));
    assertThat(p.errorBackoff()).isEqualTo(Duration.ofHours(2));
    assertThat(p.loadTimeout()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void zeroDurationMayBeWrittenWithOrWithoutUnit() throws RulesException {
    RulePolicy p = parse(RULES, NAME, METHOD, "    stale-while-revalidate: 0s", "    stale-if-error: 0")
        .rules().get(0).policy();
    assertThat(p.staleWhileRevalidate()).isZero();
    assertThat(p.staleIfError()).isZero();
  }

  @Test
  void jitterIsAPercentageAFractionOrADuration() throws RulesException {
    RulesFile file = parse(RULES,
        "  - name: a", "    method: a.B#a(..)", "    jitter: 25%",
        "  - name: b", "    method: a.B#b(..)", "    jitter: 0.2",
        "  - name: c", "    method: a.B#c(..)", "    jitter: 2s");
    assertThat(file.rule("a").get().policy().jitterFraction()).isEqualTo(0.25);
    assertThat(file.rule("b").get().policy().jitterFraction()).isEqualTo(0.2);
    assertThat(file.rule("c").get().policy().jitterDuration()).contains(Duration.ofSeconds(2));
  }

  @Test
  void refreshAheadIsAFractionOrOff() throws RulesException {
    RulesFile file = parse("defaults:", "  refresh-ahead: 0.8", RULES,
        "  - name: a", "    method: a.B#a(..)",
        "  - name: b", "    method: a.B#b(..)", "    refresh-ahead: off");
    assertThat(file.rule("a").get().policy().refreshAhead()).isEqualTo(OptionalDouble.of(0.8));
    assertThat(file.rule("b").get().policy().refreshAhead()).isEmpty();
  }

  @Test
  void defaultsAreInheritedAndOverriddenPerRule() throws RulesException {
    RulesFile file = parse(
        "defaults:",
        "  ttl: 1m",
        "  cache-nulls: false",
        "  max-entries: 500",
        "  allow-types: [com.acme.dto.*]",
        RULES,
        "  - name: a", "    method: a.B#a(..)",
        "  - name: b", "    method: a.B#b(..)", "    ttl: 5s", "    max-entries: 20", "    copy-on-read: true");
    RulePolicy a = file.rule("a").get().policy();
    RulePolicy b = file.rule("b").get().policy();
    assertThat(a.name()).isEqualTo("a");
    assertThat(a.ttl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(a.cacheNulls()).isFalse();
    assertThat(a.maxEntries()).isEqualTo(500);
    assertThat(a.allowTypes()).containsExactly("com.acme.dto.*");
    assertThat(a.copyOnRead()).isFalse();
    assertThat(b.name()).isEqualTo("b");
    assertThat(b.ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(b.cacheNulls()).isFalse();
    assertThat(b.maxEntries()).isEqualTo(20);
    assertThat(b.copyOnRead()).isTrue();
    assertThat(b.staleIfError()).isEqualTo(RulePolicy.DEFAULTS.staleIfError());
  }

  @Test
  void tiersDefaultToMemoryAndRedisWhenRedisIsConfigured() throws RulesException {
    RulesFile file = parse("redis:", "  url: redis://localhost:6379", RULES,
        "  - name: a", "    method: a.B#a(..)",
        "  - name: b", "    method: a.B#b(..)", "    tiers: [redis]");
    assertThat(file.rule("a").get().policy().tiers()).containsExactly(TierKind.MEMORY, TierKind.REDIS);
    assertThat(file.rule("b").get().policy().tiers()).containsExactly(TierKind.REDIS);
  }

  @Test
  void environmentVariablesAreSubstitutedWithAndWithoutDefaults() throws RulesException {
    RulesFile file = parse(
        "namespace: ${SHOP:-shop}",
        "redis:",
        "  url: redis://${REDIS_HOST}:${REDIS_PORT:-6379}",
        RULES, NAME, METHOD,
        "    ttl: ${TTL}",
        "    stale-if-error: ${EMPTY:-2h}");
    assertThat(file.namespace()).isEqualTo("shop");
    assertThat(file.redis().get().url()).contains("redis://cache.internal:6379");
    assertThat(file.rules().get(0).policy().ttl()).isEqualTo(Duration.ofSeconds(7));
    assertThat(file.rules().get(0).policy().staleIfError()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void doubledDollarWritesALiteralReferenceThatIsNotExpanded() throws RulesException {
    assertThat(EnvSubstitution.expand("$${X}-${REDIS_HOST}-$${TTL:-1s}-$$-a$b-$", RulesYaml.ENV::get))
        .isEqualTo("${X}-cache.internal-${TTL:-1s}-$$-a$b-$");
    assertThat(errors("log-level: \"$${X}\"", RULES, NAME, METHOD)).singleElement().asString()
        .contains("'${X}' is not a log level");
  }

  @Test
  void maxValueSizeIsReadInBytesKilobytesOrMegabytesAndDefaultsToOneMegabyte() throws RulesException {
    assertThat(parse("redis: {url: redis://cache:6379}", RULES, NAME, METHOD).redis().get().maxValueSize())
        .isEqualTo(1024 * 1024);
    assertThat(parse("redis: {url: redis://cache:6379, max-value-size: 512KB}", RULES, NAME, METHOD).redis().get()
        .maxValueSize()).isEqualTo(512 * 1024);
    assertThat(parse("redis: {url: redis://cache:6379, max-value-size: 4mb}", RULES, NAME, METHOD).redis().get()
        .maxValueSize()).isEqualTo(4 * 1024 * 1024);
    assertThat(parse("redis: {url: redis://cache:6379, max-value-size: 70000}", RULES, NAME, METHOD).redis().get()
        .maxValueSize()).isEqualTo(70_000);
    assertThat(errors("redis: {url: redis://cache:6379, max-value-size: 1TB}", RULES, NAME, METHOD))
        .containsExactly("rules.yaml:1:50: '1TB' is not a size; write it like 512KB, 1MB or 1048576 (bytes)");
    assertThat(errors("redis: {url: redis://cache:6379, max-value-size: 1024MB}", RULES, NAME, METHOD))
        .containsExactly("rules.yaml:1:50: '1024MB' is out of range: a size is from 1 byte to 512MB (the most"
            + " Redis takes in one value); write it like 512KB, 1MB or 1048576 (bytes)");
  }

  @Test
  void redisUrlSentinelOrClusterIsRead() throws RulesException {
    RedisSettings url = parse("redis:", "  url: rediss://user:secret@cache:6380", "  timeout: 20ms", RULES, NAME,
        METHOD).redis().get();
    assertThat(url.url()).contains("rediss://user:secret@cache:6380");
    assertThat(url.timeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(url.toString()).doesNotContain("secret");

    RedisSettings sentinel = parse("redis:", "  sentinel: {master: mymaster, nodes: [s1:26379, s2:26379]}", RULES,
        NAME, METHOD).redis().get();
    assertThat(sentinel.url()).isEmpty();
    assertThat(sentinel.sentinelMaster()).contains("mymaster");
    assertThat(sentinel.sentinelNodes()).containsExactly("s1:26379", "s2:26379");
    assertThat(sentinel.timeout()).isEqualTo(Duration.ofMillis(50));

    RedisSettings cluster = parse("redis:", "  cluster: [c1:7000, c2:7001]", RULES, NAME, METHOD).redis().get();
    assertThat(cluster.clusterNodes()).containsExactly("c1:7000", "c2:7001");
    assertThat(cluster.sentinelNodes()).isEmpty();
  }

  @Test
  void redisSectionMistakesAreReported() {
    assertThat(errors("redis:", "  url: http://cache:6379", "  cluster: [c1]", "  timeout: 0ms", RULES, NAME,
        METHOD)).containsExactly(
        "rules.yaml:1:1: redis: has more than one of url:, sentinel: and cluster:; keep one",
        "rules.yaml:2:8: redis url 'http://cache:6379' must start with redis:// or rediss:// (TLS), like"
            + " redis://127.0.0.1:6379",
        "rules.yaml:3:13: 'c1' is not host:port; write it like [host:7000, host:7001]",
        "rules.yaml:4:12: timeout must be more than 0; write it like 50ms");
    assertThat(errors("redis:", "  sentinel: {master: mymaster}", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:2:3: sentinel: needs master: (the master's name) and nodes:, like"
            + " sentinel: {master: mymaster, nodes: [host:26379]}");
  }

  @Test
  void metricsAreRead() throws RulesException {
    MetricsSettings port = parse("metrics:", "  jmx: false", "  prometheus: 9464", "  micrometer: true",
        "  stats-interval: 1m", RULES, NAME, METHOD).metrics();
    assertThat(port.jmx()).isFalse();
    assertThat(port.prometheus()).contains("9464");
    assertThat(port.micrometer()).isTrue();
    assertThat(port.statsInterval()).isEqualTo(Duration.ofMinutes(1));
    MetricsSettings hostPort = parse("metrics:", "  prometheus: \"0.0.0.0:9464\"", RULES, NAME, METHOD).metrics();
    assertThat(hostPort.prometheus()).contains("0.0.0.0:9464");
    assertThat(hostPort.jmx()).isTrue();
  }

  @Test
  void prometheusMayBeTurnedOffExplicitly() throws RulesException {
    assertThat(parse("metrics:", "  prometheus: off", RULES, NAME, METHOD).metrics().prometheus()).isEmpty();
  }

  @Test
  void prometheusThatIsNotAPortIsReported() {
    assertThat(errors("metrics:", "  prometheus: 99999", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:2:15: '99999' is not a port (1 to 65535); write it like 9464 or \"127.0.0.1:9464\" (or off)");
  }

  @Test
  void prometheusThatIsNotHostAndPortIsReportedWithItsLine() {
    assertThat(errors("metrics:", "  prometheus: \"localhost:\"", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:2:15: 'localhost:' is not host:port; write it like 9464 or \"127.0.0.1:9464\" (or off)");
    assertThat(errors("metrics:", "  prometheus: \"::1:9464\"", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:2:15: '::1:9464' is not host:port; write an IPv6 address in brackets, like \"[::1]:9464\"");
    assertThat(errors("metrics:", "  prometheus: on", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:2:15: 'on' is not a port (1 to 65535); write it like 9464 or \"127.0.0.1:9464\" (or off)");
  }

  @Test
  void prometheusOnABracketedIpv6AddressIsRead() throws RulesException {
    assertThat(parse("metrics:", "  prometheus: \"[::1]:9464\"", RULES, NAME, METHOD).metrics().prometheus())
        .contains("[::1]:9464");
  }

  @Test
  void topLevelSettingsAreRead() throws RulesException {
    RulesFile file = parse("namespace: shop.eu-1", "log-level: debug", "watch: true", "redis:",
        "  url: redis://localhost", "backplane: true", RULES, NAME, METHOD);
    assertThat(file.namespace()).isEqualTo("shop.eu-1");
    assertThat(file.logLevel()).isEqualTo("debug");
    assertThat(file.watch()).isTrue();
    assertThat(file.backplane()).isTrue();
  }

  @Test
  void keyTemplatesAndEvictRulesAreRead() throws RulesException {
    RulesFile file = parse(RULES,
        "  - name: product", "    method: com.acme.Repo+#findById(..)", "    key: \"p:{0}\"",
        "  - name: saved", "    method: com.acme.Repo+#save(..)", "    evict: {rule: product, key: \"p:{0.id}\"}",
        "  - name: cleared", "    method: com.acme.Repo+#deleteAll()", "    evict: {rule: product, all: true}");
    assertThat(file.rule("product").get().key().get()).hasToString("p:{0}");
    EvictSpec saved = file.rule("saved").get().evict().get();
    assertThat(saved.ruleName()).isEqualTo("product");
    assertThat(saved.key().get()).hasToString("p:{0.id}");
    assertThat(saved.all()).isFalse();
    assertThat(file.rule("saved").get().key()).isEmpty();
    assertThat(file.rule("saved").get().policy().name()).isEqualTo("saved");
    EvictSpec cleared = file.rule("cleared").get().evict().get();
    assertThat(cleared.all()).isTrue();
    assertThat(cleared.key()).isEmpty();
    assertThat(file.rule("cleared").get().method().includesSubtypes()).isTrue();
  }
}
