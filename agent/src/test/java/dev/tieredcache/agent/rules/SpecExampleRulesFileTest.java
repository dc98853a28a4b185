package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.RulePolicy.TierKind;
import dev.tieredcache.runtime.redis.RedisTls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The example of the product contract, §3, with its comments, parses to what the contract says. */
class SpecExampleRulesFileTest {

  static final String EXAMPLE = RulesYaml.yaml(
      "namespace: shop                    # prefix of every Redis key and of the backplane channel (default: tiered-cache)",
      "log-level: info                    # the agent's own log, to stderr, lines start with [tiered-cache]",
      "redis:                             # leave out to cache in memory only",
      "  url: ${REDIS_URL:-redis://127.0.0.1:6379}   # redis:// rediss:// (TLS); user:password@ allowed"
          + " (percent-encoded)",
      "  # sentinel: {master: mymaster, nodes: [host:26379, ...], password: ${SENTINEL_PASSWORD:-}}   # or",
      "  # cluster: [host:7000, host:7001, ...]",
      "  username: ${REDIS_USER:-}        # optional; used for every node (standalone, Sentinel-managed, Cluster)",
      "  password: ${REDIS_PASSWORD:-}    # optional; same",
      "  tls: {trust-store: \"\", trust-store-password: \"\", verify-hostname: true}   # optional; rediss:// or any"
          + " key here turns TLS on",
      "  timeout: 50ms                    # a Redis call slower than this counts as failed; the caller goes on without it",
      "backplane: true                    # Redis Pub/Sub invalidation between instances (needs redis)",
      "metrics:                           # optional",
      "  jmx: true                        # MBeans per rule (default true)",
      "  prometheus: 9464                 # serve /metrics on this loopback port (or host:port); off by default",
      "  micrometer: false                # register in the host's Micrometer global registry, when present",
      "  stats-interval: 0s               # a periodic summary line in the log; 0s = off",
      "watch: false                       # reload the rules when this file changes",
      "defaults:                          # every rule inherits these, and may override any of them",
      "  ttl: 30s                         # how long a value stays fresh",
      "  stale-while-revalidate: 1m       # after ttl: serve the stale value at once, refresh it in the background",
      "  stale-if-error: 1h               # after ttl: if the refresh fails, keep serving the stale value this long",
      "  jitter: 10%                      # random extra fresh time per write: a fraction of ttl, or a duration",
      "  refresh-ahead: 0.8               # optional: first hit after 80% of ttl refreshes in the background",
      "  error-backoff: 5s                # after a failed refresh, wait this long (doubling, capped at 5m) before"
          + " the next try",
      "  load-timeout: 10s                # longest a caller waits for another caller's in-flight load of the same key",
      "  cache-nulls: true",
      "  max-entries: 10000               # bound of the rule's memory tier (each rule is bounded on its own)",
      "  copy-on-read: false              # callers get their own copy of a memory value (for mutable objects)",
      "  distributed-lock: false          # one refresh of a key across all instances (Redis SET NX PX)",
      "  allow-types: []                  # extra classes or packages (com.acme.dto.*) the codec may instantiate",
      "  tiers: [memory, redis]           # or [memory] or [redis]",
      "rules:",
      "  - name: price                                        # unique; appears in keys, metrics and logs",
      "    method: com.acme.Catalog#price(java.lang.String)   # Type#method(param types)",
      "    key: \"{0}\"                                         # optional; default: every argument",
      "    ttl: 5s",
      "  - name: product",
      "    method: com.acme.ProductRepository+#findById(..)   # '+' = the type and all its subtypes; '..' = any params",
      "    key: \"{0}\"",
      "  - name: product-saved",
      "    method: com.acme.ProductRepository+#save(..)",
      "    evict: {rule: product, key: \"{0.id}\"}              # after a normal return: evict everywhere (or: all:"
          + " true)",
      "  - name: products",
      "    method: com.acme.ProductRepository+#findAllById(java.lang.Iterable)",
      "    batch: {rule: product, key: \"{id}\"}                # each element cached as rule product's key {id};"
          + " upstream asked only for missing ids");

  @Test
  void exampleOfTheContractParsesWithTheValuesItShows() throws RulesException {
    RulesFile file = RulesParser.parse("rules.yaml", EXAMPLE, Map.<String, String>of()::get);

    assertThat(file.namespace()).isEqualTo("shop");
    assertThat(file.logLevel()).isEqualTo("info");
    RedisSettings redis = file.redis().orElseThrow();
    assertThat(redis.url()).contains("redis://127.0.0.1:6379");
    assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(redis.username()).isEmpty();
    assertThat(redis.password()).isEmpty();
    assertThat(redis.tls()).as("any key of tls: turns TLS on").contains(RedisTls.DEFAULT);
    assertThat(file.backplane()).isTrue();
    assertThat(file.metrics().jmx()).isTrue();
    assertThat(file.metrics().prometheus()).contains("9464");
    assertThat(file.metrics().micrometer()).isFalse();
    assertThat(file.metrics().statsInterval()).isZero();
    assertThat(file.watch()).isFalse();
    assertThat(file.rules()).extracting(RuleSpec::name).containsExactly("price", "product", "product-saved",
        "products");

    RuleSpec price = file.rule("price").orElseThrow();
    assertThat(price.method().exactTypeName()).isEqualTo("com.acme.Catalog");
    assertThat(price.method().parameterTypes()).contains(List.of("java.lang.String"));
    assertThat(price.key().get().isSingleArgumentIdentity()).isTrue();
    RulePolicy p = price.policy();
    assertThat(p.name()).isEqualTo("price");
    assertThat(p.ttl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.staleWhileRevalidate()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.staleIfError()).isEqualTo(Duration.ofHours(1));
    assertThat(p.jitterFraction()).isEqualTo(0.10);
    assertThat(p.jitterDuration()).isEmpty();
    assertThat(p.refreshAhead()).isEqualTo(OptionalDouble.of(0.8));
    assertThat(p.errorBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.loadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.cacheNulls()).isTrue();
    assertThat(p.maxEntries()).isEqualTo(10_000);
    assertThat(p.copyOnRead()).isFalse();
    assertThat(p.distributedLock()).isFalse();
    assertThat(p.allowTypes()).isEmpty();
    assertThat(p.tiers()).containsExactly(TierKind.MEMORY, TierKind.REDIS);

    RuleSpec product = file.rule("product").orElseThrow();
    assertThat(product.method().includesSubtypes()).isTrue();
    assertThat(product.method().parameterTypes()).isEmpty();
    assertThat(product.policy().ttl()).isEqualTo(Duration.ofSeconds(30));

    RuleSpec saved = file.rule("product-saved").orElseThrow();
    assertThat(saved.evict().get().ruleName()).isEqualTo("product");
    assertThat(saved.evict().get().key().get()).hasToString("{0.id}");
    assertThat(saved.line()).isEqualTo(40);
    assertThat(saved.column()).isEqualTo(5);

    RuleSpec products = file.rule("products").orElseThrow();
    assertThat(products.batch().get().ruleName()).isEqualTo("product");
    assertThat(products.batch().get().idsIndex()).isEmpty();
    assertThat(products.cachesValues()).isFalse();
  }

  @Test
  void redisUrlOfTheExampleComesFromTheEnvironmentWhenSet() throws RulesException {
    RulesFile file = RulesParser.parse("rules.yaml", EXAMPLE, Map.of("REDIS_URL", "rediss://cache:6380")::get);
    assertThat(file.redis().get().url()).contains("rediss://cache:6380");
  }

  @Test
  void credentialsOfTheExampleComeFromTheEnvironmentWhenSet() throws RulesException {
    RulesFile file = RulesParser.parse("rules.yaml", EXAMPLE,
        Map.of("REDIS_USER", "app", "REDIS_PASSWORD", "pa ss@word")::get);
    assertThat(file.redis().get().username()).contains("app");
    assertThat(file.redis().get().password()).contains("pa ss@word");
    assertThat(file.redis().get().toConfig().toString()).doesNotContain("pa ss@word");
  }
}
