package dev.tieredcache.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap per cached entry: the memory tier of a rule (a Caffeine cache of the runtime's entries: value, write time,
 * fresh, stale and refresh-ahead limits) against a plain Caffeine cache bounded the same way, both holding the same
 * key and value objects: what each cache adds is the heap in use after full collections once it is filled, less
 * before (the keys and values exist before and after). JOL measures the keys and values alone (it cannot walk the
 * caches themselves: Caffeine holds lambdas, whose fields JOL cannot read). Not JMH: sizes, not times.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.tieredcache.benchmarks.MemoryPerEntry [entries, default 200000]
 * </pre>
 */
public final class MemoryPerEntry {

  private MemoryPerEntry() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    System.out.printf(Locale.ROOT, "%,d entries, Java %s%n%n", n, System.getProperty("java.version"));
    System.out.println("| value | keys + values alone, B/entry | Caffeine adds, B/entry | memory tier adds, B/entry"
        + " | memory tier / Caffeine, with keys and values |");
    System.out.println("|---|---|---|---|---|");
    row("a 20-character string", n, i -> String.format(Locale.ROOT, "price-of-item-%06d", i));
    row("a ProductDto (the codec benchmark's)", n, i -> ProductDto.sample());
  }

  private static void row(String label, int n, IntFunction<Object> values) throws Exception {
    List<String> keys = new ArrayList<>(n);
    List<Object> vals = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      keys.add("sku-" + i);
      vals.add(values.apply(i));
    }
    Object[] keyArray = keys.toArray();
    Object[] valueArray = vals.toArray();
    // the objects the arrays reach, without the two arrays themselves
    long keysAndValues = GraphLayout.parseInstance(keyArray, valueArray).totalSize()
        - ClassLayout.parseInstance(keyArray).instanceSize() - ClassLayout.parseInstance(valueArray).instanceSize();

    long before = usedAfterGc();
    Cache<String, Object> plain = Caffeine.newBuilder().maximumSize(2L * n).build();
    for (int i = 0; i < n; i++) {
      plain.put(keys.get(i), vals.get(i));
    }
    plain.cleanUp();
    long plainAdds = usedAfterGc() - before;
    if (plain.estimatedSize() != n) {
      throw new IllegalStateException("Caffeine holds " + plain.estimatedSize() + " entries, not " + n);
    }
    plain = null;

    try (TieredCache runtime = TieredCache.builder().build()) {
      RuleCache rule = runtime.addRule(RulePolicy.builder().name("memory-per-entry").maxEntries(2L * n).build());
      before = usedAfterGc();
      for (int i = 0; i < n; i++) {
        Load load = (Load) rule.begin(keys.get(i), null, null, null);
        rule.complete(load, vals.get(i), null);
      }
      Object memoryTier = field(rule, "memory");
      @SuppressWarnings("unchecked")
      Cache<String, Object> tier = (Cache<String, Object>) field(memoryTier, "cache");
      tier.cleanUp();
      long ourAdds = usedAfterGc() - before;
      if (tier.estimatedSize() != n) {
        throw new IllegalStateException("the memory tier holds " + tier.estimatedSize() + " entries, not " + n);
      }
      System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f× |%n", label, keysAndValues / (double) n,
          plainAdds / (double) n, ourAdds / (double) n, (keysAndValues + ourAdds) / (double) (keysAndValues
          + plainAdds));
    }
    // the keys and values stay reachable until both caches were measured
    if (keyArray.length + valueArray.length != 2 * n) {
      throw new AssertionError();
    }
  }

  /** Heap in use after full collections, once it stops shrinking. */
  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      Thread.sleep(50);
      long now = memory.getHeapMemoryUsage().getUsed();
      if (now >= used) {
        return now;
      }
      used = now;
    }
    return used;
  }

  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field f = owner.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(owner);
  }
}
