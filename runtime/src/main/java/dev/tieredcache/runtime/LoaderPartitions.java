package dev.tieredcache.runtime;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class-loader partitions of one rule in this instance. The values of a cached method are instances of the
 * classes its loader sees; a loader other than the JDK's and the application class path's (a web application's, a
 * Spring Boot fat jar's, a DevTools restart loader) gets a partition of its own: a {@link RuleCache} with its own
 * memory tier, loads, failure history and codec, sharing the rule's counters, key spaces, Redis keys and eviction
 * marks. So a loader is never handed a value of another loader's classes (a redeployed application gets its values
 * decoded for its own classes from Redis, or loads them anew), and a dropped loader takes its cached values with it.
 *
 * <p>A partition is held here weakly, and strongly only by the classes whose methods it caches (a {@link ClassValue},
 * which the class itself stores): it lives exactly as long as its loader, and nothing outside the loader keeps the
 * loader, its classes or its values alive. Evictions, clears, backplane messages and sweeps reach every partition
 * alive ({@link #members}).
 */
final class LoaderPartitions {

  /** The partitions that cache methods of a class, reachable from the class alone. */
  private static final ClassValue<Set<RuleCache>> ANCHORS = new ClassValue<Set<RuleCache>>() {
    @Override
    protected Set<RuleCache> computeValue(Class<?> type) {
      return ConcurrentHashMap.newKeySet(2);
    }
  };

  private final RuleCache home;
  /** {@link #members} while this rule has never had a partition: evictions then take no lock. */
  private final List<RuleCache> homeOnly;
  /** Whether this rule has (or inherited) a partition; once true, stays true. */
  private volatile boolean partitioned;
  private final Map<ClassLoader, WeakReference<RuleCache>> byLoader = new WeakHashMap<>();
  /** Partitions of the rule these replace (same rule, rules file replaced), taken over on their loader's next call. */
  private final Map<ClassLoader, WeakReference<RuleCache>> inherited = new WeakHashMap<>();

  /**
   * The partitions of {@code home}; with {@code predecessor} (the partitions of the same rule in rules being replaced),
   * each of its partitions is taken over by this rule's partition of the same loader.
   */
  LoaderPartitions(RuleCache home, LoaderPartitions predecessor) {
    this.home = home;
    this.homeOnly = Collections.singletonList(home);
    if (predecessor != null && predecessor.partitioned) {
      synchronized (predecessor) {
        inherited.putAll(predecessor.inherited);
        inherited.putAll(predecessor.byLoader);
      }
      partitioned = true;
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

  /**
   * The partition of the loader of {@code type}, made on first use, and kept reachable from {@code type}. A partition
   * of the rule that this one replaced is taken over (its entries, loads and counters) and let go by the classes that
   * held it.
   */
  synchronized RuleCache of(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    WeakReference<RuleCache> ref = byLoader.get(loader);
    RuleCache partition = ref == null ? null : ref.get();
    RuleCache before = null;
    if (partition == null) {
      WeakReference<RuleCache> inheritedRef = inherited.remove(loader);
      before = inheritedRef == null ? null : inheritedRef.get();
      partition = home.newPartition(before);
      byLoader.put(loader, new WeakReference<>(partition));
      partitioned = true;
    }
    if (ANCHORS.get(type).add(partition)) {
      partition.anchoredOn.add(new WeakReference<>(type));
    }
    if (before != null) {
      for (WeakReference<Class<?>> held : before.anchoredOn) {
        Class<?> holder = held.get();
        if (holder != null) {
          ANCHORS.get(holder).remove(before);
        }
      }
    }
    return partition;
  }

  /** The rule's caches in this instance: its home (for the JVM's own loaders) and every partition alive. */
  List<RuleCache> members() {
    if (!partitioned) {
      return homeOnly;
    }
    synchronized (this) {
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
