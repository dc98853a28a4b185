package dev.tieredcache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A fresh memory hit through the agent, side by side with hand-written cache-aside code on a Caffeine cache with
 * the same key (with expiry, and without: the floor of any cache), Spring's {@code @Cacheable} on a
 * {@code CaffeineCacheManager}, and the method itself uncached. All run in the same forked JVM, which has the agent
 * loaded (run from the repository root; see the README for the command; {@code -t 2} for two threads).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {
    "-javaagent:agent/target/tiered-cache-agent.jar=benchmarks/hit-path-rules.yaml"})
@State(Scope.Benchmark)
public class HitPathBenchmark {

  private final BenchCatalog catalog = new BenchCatalog();
  private final Cache<String, String> handWritten = Caffeine.newBuilder()
      .maximumSize(10_000)
      .expireAfterWrite(Duration.ofHours(1))
      .build();
  private final Cache<String, String> handWrittenNoExpiry = Caffeine.newBuilder()
      .maximumSize(10_000)
      .build();
  /** The floor with Caffeine's own hit and miss counting on, as the agent counts every hit (metrics). */
  private final Cache<String, String> handWrittenCounted = Caffeine.newBuilder()
      .maximumSize(10_000)
      .recordStats()
      .build();
  private String sku;
  private AnnotationConfigApplicationContext spring;
  private SpringCatalog springCatalog;
  private final UncachedCatalog uncached = new UncachedCatalog();

  @Setup(Level.Trial)
  public void warm() {
    sku = "sku-" + 42;
    catalog.price(sku);
    catalog.taggedPrice(sku);
    handAside(handWritten, sku);
    handAside(handWrittenNoExpiry, sku);
    handAside(handWrittenCounted, sku);
    spring = new AnnotationConfigApplicationContext(SpringCatalog.Config.class);
    springCatalog = spring.getBean(SpringCatalog.class);
    springCatalog.price(sku);
  }

  @TearDown(Level.Trial)
  public void check() {
    spring.close();
    if (SpringCatalog.calls != 1) {
      throw new IllegalStateException("@Cacheable did not cache: " + SpringCatalog.calls + " calls");
    }
    if (BenchCatalog.calls != 1) {
      throw new IllegalStateException("the agent did not cache: " + BenchCatalog.calls
          + " upstream calls (is the agent loaded? run from the repository root)");
    }
    if (BenchCatalog.taggedCalls != 1) {
      throw new IllegalStateException("the agent did not cache the tagged rule: " + BenchCatalog.taggedCalls
          + " upstream calls");
    }
  }

  /** The instrumented method; every call is a fresh memory hit. */
  @Benchmark
  public String agentHit() {
    return catalog.price(sku);
  }

  /**
   * The same hit for a rule with two tags: beyond {@link #agentHit}, the entry's tags are checked against the tag
   * times (one volatile read while no tag changes).
   */
  @Benchmark
  public String agentTaggedHit() {
    return catalog.taggedPrice(sku);
  }

  /** What a developer would write by hand around the same upstream: a bounded cache whose values expire. */
  @Benchmark
  public String handWrittenHit() {
    return handAside(handWritten, sku);
  }

  /** The same without expiry (Caffeine then reads no clock): the floor of any cache-aside hit. */
  @Benchmark
  public String handWrittenNoExpiryHit() {
    return handAside(handWrittenNoExpiry, sku);
  }

  /**
   * The floor with {@code recordStats()}: Caffeine counts each hit (in a {@code LongAdder}), as the agent counts each
   * fresh hit of a rule for its metrics.
   */
  @Benchmark
  public String handWrittenNoExpiryCountedHit() {
    return handAside(handWrittenCounted, sku);
  }

  /** Spring's {@code @Cacheable} on a bean, backed by Caffeine with expiry: what a Spring application writes. */
  @Benchmark
  public String springCacheableHit() {
    return springCatalog.price(sku);
  }

  /** The method without any cache, which returns a value it holds: the cost of the call alone. */
  @Benchmark
  public String uncachedCall() {
    return uncached.price(sku);
  }

  private String handAside(Cache<String, String> cache, String key) {
    String value = cache.getIfPresent(key);
    if (value == null) {
      value = catalog.load(key);
      cache.put(key, value);
    }
    return value;
  }
}
