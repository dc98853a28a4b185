package dev.tieredcache.agent.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The meters of {@code metrics.micrometer} in a real Micrometer's global registry, with a {@link SimpleMeterRegistry}
 * behind it as a Spring Boot application adds its own: exact values after a known sequence of calls, Spring Boot's
 * tag keys, re-registration when rules are replaced, removal on detach, and the one warning when a loader sees no
 * Micrometer.
 */
class MicrometerExportTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final SimpleMeterRegistry app = new SimpleMeterRegistry();
  private final List<TieredCache> caches = new ArrayList<>();
  private MicrometerExport export;

  @BeforeEach
  void addTheApplicationsRegistry() {
    Metrics.globalRegistry.add(app);
  }

  @AfterEach
  void closeAndRemove() {
    if (export != null) {
      export.close();
    }
    caches.forEach(TieredCache::close);
    Metrics.globalRegistry.remove(app);
    Metrics.globalRegistry.clear();
  }

  @Test
  void everyRuleCountsItsCallsInTheStandardCacheMetersAndTheTieredCacheOnes() {
    TieredCache cache = cacheWith("price");
    export = new MicrometerExport();
    export.rulesInPlace(cache);
    await().atMost(Duration.ofSeconds(10)).until(() -> ourMeters().size() == RuleMeter.ALL.size());

    RuleCache price = cache.rule("price").orElseThrow();
    load(price, "sku-1", "12.50");
    assertThat(price.begin("sku-1", null, null, "sku-1")).isEqualTo("12.50");
    assertThat(price.begin("sku-1", null, null, "sku-1")).isEqualTo("12.50");
    now.addAndGet(Duration.ofSeconds(11).toMillis());
    assertThat(price.begin("sku-1", null, null, "sku-1")).as("stale within stale-while-revalidate")
        .isEqualTo("12.50");
    Object second = price.begin("sku-2", null, null, "sku-2");
    price.complete((Load) second, null, new IllegalStateException("upstream down"));
    assertThat(gauge("cache.size")).isEqualTo(1);
    price.evict("sku-1");

    assertThat(counter("cache.gets", "result", "hit")).isEqualTo(3);
    assertThat(counter("cache.gets", "result", "miss")).isEqualTo(2);
    assertThat(counter("cache.puts")).isEqualTo(1);
    assertThat(counter("cache.evictions")).isEqualTo(1);
    assertThat(gauge("cache.size")).isZero();
    assertThat(counter("tiered.cache.hits", "state", "fresh")).isEqualTo(2);
    assertThat(counter("tiered.cache.hits", "state", "stale")).isEqualTo(1);
    assertThat(counter("tiered.cache.loads", "result", "success")).isEqualTo(1);
    assertThat(counter("tiered.cache.loads", "result", "failure")).isEqualTo(1);
    assertThat(counter("tiered.cache.refreshes")).isZero();
    assertThat(counter("tiered.cache.stale.on.error")).isZero();
    assertThat(counter("tiered.cache.coalesced")).isZero();
    assertThat(counter("tiered.cache.redis.hits")).isZero();
    assertThat(counter("tiered.cache.redis.errors")).isZero();
    assertThat(counter("tiered.cache.backplane.messages", "direction", "in")).isZero();
    assertThat(counter("tiered.cache.backplane.messages", "direction", "out")).isZero();
  }

  @Test
  void cacheMetersHaveTheTagKeysOfSpringBootsOwnCacheMeters() {
    export = new MicrometerExport();
    export.rulesInPlace(cacheWith("price"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ourMeters().size() == RuleMeter.ALL.size());

    // Spring Boot's CacheMetricsRegistrar binds Micrometer's cache binders with cache.manager and name; the binders
    // add cache, and result on cache.gets
    assertThat(tagKeys("cache.gets")).containsExactlyInAnyOrder("cache", "cache.manager", "name", "result");
    for (String name : List.of("cache.puts", "cache.evictions", "cache.size")) {
      assertThat(tagKeys(name)).as(name).containsExactlyInAnyOrder("cache", "cache.manager", "name");
    }
    assertThat(tagKeys("tiered.cache.loads")).containsExactlyInAnyOrder("cache", "cache.manager", "result");
    assertThat(app.get("cache.gets").tag("cache.manager", "tiered-cache").meters()).hasSize(2);
    assertThat(app.get("cache.size").meter().getId().getBaseUnit()).as("no unit: Prometheus would rename it").isNull();
  }

  @Test
  void replacedRulesReplaceTheMetersAndCloseRemovesThemFromEveryRegistryBehindTheGlobalOne() {
    export = new MicrometerExport();
    TieredCache first = cacheWith("price", "product");
    export.rulesInPlace(first);
    await().atMost(Duration.ofSeconds(10)).until(() -> ourMeters().size() == 2 * RuleMeter.ALL.size());
    load(first.rule("product").orElseThrow(), "p1", "kettle");

    TieredCache second = cacheWith("product", "stock");
    load(second.rule("product").orElseThrow(), "p1", "kettle");
    load(second.rule("product").orElseThrow(), "p2", "teapot");
    export.rulesInPlace(second);
    await().atMost(Duration.ofSeconds(10)).until(() -> rulesWithMeters().equals(Set.of("product", "stock"))
        && ourMeters().size() == 2 * RuleMeter.ALL.size());
    assertThat(app.get("cache.puts").tag("cache", "product").functionCounter().count())
        .as("read from the rules in place now").isEqualTo(2);

    export.rulesInPlace(null);
    await().atMost(Duration.ofSeconds(10)).until(() -> ourMeters().isEmpty());
    export.rulesInPlace(second);
    await().atMost(Duration.ofSeconds(10)).until(() -> ourMeters().size() == 2 * RuleMeter.ALL.size());

    export.close();
    assertThat(ourMeters()).as("meters left in the application's registry after close").isEmpty();
    assertThat(Metrics.globalRegistry.find("cache.gets").tag("cache.manager", "tiered-cache").meters()).isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.getName().equals(MicrometerExport.THREAD_NAME)));
  }

  @Test
  void loadersWithoutMicrometerGetOneWarningAndALoaderSeenLaterStillGetsTheMeters() throws Exception {
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    export = new MicrometerExport(platform);
    PrintStream before = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String firstCalled;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (URLClassLoader first = new URLClassLoader(new URL[0], platform);
        URLClassLoader second = new URLClassLoader(new URL[0], platform)) {
      Class<?> firstCached = classDefinedBy(first);
      firstCalled = firstCached.getName();
      export.rulesInPlace(cacheWith("price"));
      export.firstCall(firstCached);
      export.firstCall(classDefinedBy(second));
      export.firstCall(MicrometerExportTest.class);
      await().atMost(Duration.ofSeconds(10)).until(() -> ourMeters().size() == RuleMeter.ALL.size());
    } finally {
      System.setErr(before);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("registered in the Micrometer global registry");
    List<String> warnings = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
        .filter(line -> line.contains("WARN")).collect(Collectors.toList());
    assertThat(warnings).singleElement().asString()
        .contains("metrics.micrometer is true, but Micrometer")
        .contains(firstCalled)
        .contains("Add micrometer-core to the application")
        .contains("metrics.micrometer: false");
  }

  /** A class that {@code loader} defines (a JDK proxy class), so its loader is the one a look starts from. */
  private static Class<?> classDefinedBy(ClassLoader loader) {
    Class<?> type = Proxy.newProxyInstance(loader, new Class<?>[] {Runnable.class}, (p, m, a) -> null).getClass();
    assertThat(type.getClassLoader()).isSameAs(loader);
    return type;
  }

  private TieredCache cacheWith(String... rules) {
    TieredCache cache = TieredCache.builder().namespace("shop").clock(now::get).build();
    for (String rule : rules) {
      cache.addRule(RulePolicy.builder().name(rule).ttl(Duration.ofSeconds(10))
          .staleWhileRevalidate(Duration.ofMinutes(1)).jitter(0.0).tiers(List.of(RulePolicy.TierKind.MEMORY))
          .build());
    }
    caches.add(cache);
    return cache;
  }

  private static void load(RuleCache rule, String key, Object value) {
    Object miss = rule.begin(key, null, null, key);
    assertThat(miss).isInstanceOf(Load.class);
    rule.complete((Load) miss, value, null);
  }

  /** The meters of the agent in the application's registry (the child of the global one). */
  private List<Meter> ourMeters() {
    return app.getMeters().stream()
        .filter(m -> RuleMeter.CACHE_MANAGER.equals(m.getId().getTag("cache.manager")))
        .collect(Collectors.toList());
  }

  private Set<String> rulesWithMeters() {
    return ourMeters().stream().map(m -> m.getId().getTag("cache")).collect(Collectors.toSet());
  }

  private double counter(String name, String... tags) {
    return app.get(name).tag("cache", "price").tags(tags).functionCounter().count();
  }

  private double gauge(String name) {
    return app.get(name).tag("cache", "price").gauge().value();
  }

  private Set<String> tagKeys(String name) {
    return app.get(name).tag("cache", "price").meters().stream()
        .flatMap(m -> m.getId().getTags().stream()).map(Tag::getKey).collect(Collectors.toSet());
  }
}
