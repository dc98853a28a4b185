package dev.tieredcache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
 * the same key. Both run in the same forked JVM, which has the agent loaded (run from the repository root; see
 * the README for the command).
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
  private String sku;

  @Setup(Level.Trial)
  public void warm() {
    sku = "sku-" + 42;
    catalog.price(sku);
    handAside(handWritten, sku);
    handAside(handWrittenNoExpiry, sku);
  }

  @TearDown(Level.Trial)
  public void check() {
    if (BenchCatalog.calls != 1) {
      throw new IllegalStateException("the agent did not cache: " + BenchCatalog.calls
          + " upstream calls (is the agent loaded? run from the repository root)");
    }
  }

  /** The instrumented method; every call is a fresh memory hit. */
  @Benchmark
  public String agentHit() {
    return catalog.price(sku);
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

  private String handAside(Cache<String, String> cache, String key) {
    String value = cache.getIfPresent(key);
    if (value == null) {
      value = catalog.load(key);
      cache.put(key, value);
    }
    return value;
  }
}
