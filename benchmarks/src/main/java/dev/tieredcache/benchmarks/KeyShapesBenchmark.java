package dev.tieredcache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tieredcache.benchmarks.ShapedCatalog.Region;
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
 * Fresh memory hits through the agent for each key shape, and 64 hot keys looked up with strings equal to, but
 * not the same instances as, the ones cached (as keys parsed from requests are), beside hand-written cache-aside
 * on Caffeine without expiry over the same 64 keys. Run with {@code -prof gc} for bytes allocated per hit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "-javaagent:agent/target/tiered-cache-agent.jar=benchmarks/hit-path-rules.yaml"})
@State(Scope.Thread)
public class KeyShapesBenchmark {

  private static final int KEYS = 64;
  /** Beyond the JDK's cache of boxes (-128 to 127): boxing it makes a new object. */
  private static final long LARGE_SKU = 5_000_000_005L;
  private static final int LARGE_QUANTITY = 40_000;

  private final ShapedCatalog catalog = new ShapedCatalog();
  private final Cache<String, String> handWritten = Caffeine.newBuilder().maximumSize(10_000).build();
  /** Per key, copies equal to the cached key but distinct instances, with their hash codes not yet computed. */
  private final String[][] lookups = new String[KEYS][16];
  private final Integer boxedSku = 1_000;
  private long expectedCalls;
  private int next;

  @Setup(Level.Trial)
  public void warm() {
    ShapedCatalog.calls = 0;
    catalog.banner();
    catalog.stock(42L);
    catalog.stock(LARGE_SKU);
    catalog.boxed(boxedSku);
    catalog.regional(Region.EU);
    catalog.offer("sku-7", 3, Region.US);
    catalog.offer("sku-7", LARGE_QUANTITY, Region.US);
    for (int k = 0; k < KEYS; k++) {
      String cached = "sku-" + k;
      catalog.price(cached);
      handWritten.put(cached, "price-of-" + cached);
      for (int c = 0; c < lookups[k].length; c++) {
        lookups[k][c] = new String(cached.toCharArray());
      }
    }
    expectedCalls = 7 + KEYS;
  }

  @TearDown(Level.Trial)
  public void check() {
    if (ShapedCatalog.calls != expectedCalls) {
      throw new IllegalStateException("the agent did not cache: " + ShapedCatalog.calls + " upstream calls where "
          + expectedCalls + " were due (is the agent loaded? run from the repository root)");
    }
  }

  @Benchmark
  public String noArguments() {
    return catalog.banner();
  }

  @Benchmark
  public String primitiveLong() {
    return catalog.stock(42L);
  }

  /** A {@code long} no box cache holds: the agent passes it unboxed. */
  @Benchmark
  public String primitiveLargeLong() {
    return catalog.stock(LARGE_SKU);
  }

  @Benchmark
  public String boxedInteger() {
    return catalog.boxed(boxedSku);
  }

  @Benchmark
  public String enumArgument() {
    return catalog.regional(Region.EU);
  }

  @Benchmark
  public String threeArguments() {
    return catalog.offer("sku-7", 3, Region.US);
  }

  /** Three arguments, the {@code int} beyond the JDK's box cache: passed unboxed, as every integer of a key is. */
  @Benchmark
  public String threeArgumentsLargeInt() {
    return catalog.offer("sku-7", LARGE_QUANTITY, Region.US);
  }

  /** 64 keys in turn, each looked up through an equal string that is not the cached instance. */
  @Benchmark
  public String agentDistinctKeys() {
    return catalog.price(nextLookup());
  }

  /** The same lookups by hand on Caffeine without expiry: the floor for {@link #agentDistinctKeys}. */
  @Benchmark
  public String handWrittenDistinctKeys() {
    String key = nextLookup();
    String value = handWritten.getIfPresent(key);
    if (value == null) {
      value = "price-of-" + key;
      handWritten.put(key, value);
    }
    return value;
  }

  private String nextLookup() {
    int n = next++;
    return lookups[n & (KEYS - 1)][(n >>> 6) & 15];
  }
}
