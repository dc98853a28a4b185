package dev.tieredcache.runtime;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The class-loader partitions of one rule in this instance. The values of a cached method are instances of the
 * classes its loader sees; a loader other than the JDK's and the application class path's (a web application's, a
 * Spring Boot fat jar's, a DevTools restart loader) gets a partition of its own: a {@link RuleCache} with its own
 * memory tier, loads, failure history and codec, sharing the rule's counters, key spaces, Redis keys and eviction
 * marks. So a loader is never handed a value of another loader's classes (a redeployed application gets its values
 * decoded for its own classes from Redis, or loads them anew), and a dropped loader takes its cached values with it.
 *
 * <p>A partition is held here weakly: whoever binds a call site to it keeps it reachable from the loader itself (the
 * agent anchors it on the instrumented class), so nothing outside the loader keeps the loader, its classes or its
 * values alive. Evictions, clears, backplane messages and sweeps reach every partition alive ({@link #members}).
 */
final class LoaderPartitions {

  private final RuleCache home;
  private final Map<ClassLoader, WeakReference<RuleCache>> byLoader = new WeakHashMap<>();
  /** Partitions of the rule these replace (same rule, rules file replaced), taken over on their loader's next call. */
  private final Map<ClassLoader, WeakReference<RuleCache>> inherited = new WeakHashMap<>();

  /**
   * The partitions of {@code home}; with {@code predecessor} (the partitions of the same rule in rules being replaced),
   * each of its partitions is taken over by this rule's partition of the same loader.
   */
  LoaderPartitions(RuleCache home, LoaderPartitions predecessor) {
    this.home = home;
    if (predecessor != null) {
      synchronized (predecessor) {
        inherited.putAll(predecessor.inherited);
        inherited.putAll(predecessor.byLoader);
      }
    }
  }

  /**
   * Whether values of methods that {@code loader} defines are kept in a partition of their own: false for the
   * bootstrap, platform and application class loaders (and the runtime's own), which live as long as the JVM.
   */
  static boolean partitioned(ClassLoader loader) {
    return loader != null && loader != ClassLoader.getSystemClassLoader()
        && loader != ClassLoader.getPlatformClassLoader() && loader != RuleCache.class.getClassLoader();
  }

  /** The rule's cache for the JVM's own loaders, whose partitions these are. */
  RuleCache home() {
    return home;
  }

  /** The partition of {@code loader}, made (taking over the replaced rule's partition of it) on first use. */
  synchronized RuleCache of(ClassLoader loader) {
    WeakReference<RuleCache> ref = byLoader.get(loader);
    RuleCache partition = ref == null ? null : ref.get();
    if (partition == null) {
      WeakReference<RuleCache> before = inherited.remove(loader);
      partition = home.newPartition(before == null ? null : before.get());
      byLoader.put(loader, new WeakReference<>(partition));
    }
    return partition;
  }

  /** The rule's caches in this instance: its home (for the JVM's own loaders) and every partition alive. */
  List<RuleCache> members() {
    synchronized (this) {
      if (byLoader.isEmpty() && inherited.isEmpty()) {
        return Collections.singletonList(home);
      }
      List<RuleCache> all = new ArrayList<>(1 + byLoader.size() + inherited.size());
      all.add(home);
      addLive(byLoader, all);
      addLive(inherited, all);
      return all;
    }
  }

  private static void addLive(Map<ClassLoader, WeakReference<RuleCache>> partitions, List<RuleCache> into) {
    for (WeakReference<RuleCache> ref : partitions.values()) {
      RuleCache partition = ref.get();
      if (partition != null) {
        into.add(partition);
      }
    }
  }
}
