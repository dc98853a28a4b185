package dev.tieredcache.agent.micrometer;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metrics.micrometer: true}: the meters of the rules in place (see {@link RuleMeter}) in the global registry
 * of every Micrometer the host's class loaders see. The agent starts before the host has set up its class loaders (a
 * Spring Boot fat jar has Micrometer in nested jars that only its own loader reads), so the registry is looked for
 * in the system class loader when rules are put in place, and in the loader of each cached method when it is first
 * called. If the first such look finds none, one WARN says how to fix that; loaders seen later are still looked at.
 *
 * <p>Registering, re-registering after the rules are replaced and removing run on one daemon thread
 * ({@value #THREAD_NAME}), which exists only while there is such work: a caller of a cached method never waits for
 * Micrometer, and nothing here runs on a call's path after the method's first call. A failure is logged and leaves
 * caching as it was.
 */
public final class MicrometerExport {

  static final String THREAD_NAME = "tiered-cache-micrometer";
  private static final Logger LOG = LoggerFactory.getLogger(MicrometerExport.class);

  private final ThreadPoolExecutor worker = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), task -> {
        Thread t = new Thread(task, THREAD_NAME);
        t.setDaemon(true);
        // an inherited context loader would keep a host's loader reachable while the thread lives
        t.setContextClassLoader(null);
        return t;
      });
  /** Whether any work was ever handed to the worker: with {@code metrics.micrometer} off, no thread ever starts. */
  private volatile boolean used;
  /** The runtime whose rules are exported; {@code null} while {@code metrics.micrometer} is off. */
  private volatile TieredCache exported;
  /** The loaders looked at since the export was turned on; guarded by itself. */
  private final Set<ClassLoader> looked = Collections.newSetFromMap(new WeakHashMap<>());
  /** Looked at whenever rules are put in place: the system class loader, or another in tests. */
  private final ClassLoader startLoader;
  // the fields below are used by the worker thread only
  private final List<HostRegistry> registries = new ArrayList<>();
  private boolean warned;

  /** An export that looks in the system class loader when rules are put in place. */
  public MicrometerExport() {
    this(ClassLoader.getSystemClassLoader());
  }

  MicrometerExport(ClassLoader startLoader) {
    this.startLoader = startLoader;
  }

  /**
   * Exports the rules of {@code cache}, which have just been put in place, instead of those exported before; with
   * {@code null} ({@code metrics.micrometer} off) removes every meter and stops looking.
   */
  public void rulesInPlace(TieredCache cache) {
    exported = cache;
    if (cache == null) {
      synchronized (looked) {
        looked.clear();
      }
      if (used) {
        submit(this::removeAll);
      }
      return;
    }
    submit(this::reregister);
    // not marked as looked at: a first call from this loader looks again, and warns if it finds none
    submit(() -> lookIn(startLoader, null));
  }

  /**
   * A cached method of {@code type} is called for the first time: looks for Micrometer in its class loader unless
   * that loader was looked at already. Cheap when off or seen: one volatile read, or a set look-up.
   */
  public void firstCall(Class<?> type) {
    if (exported == null) {
      return;
    }
    ClassLoader loader = type.getClassLoader();
    lookOnceIn(loader == null ? ClassLoader.getSystemClassLoader() : loader, type.getName());
  }

  private void lookOnceIn(ClassLoader loader, String typeName) {
    synchronized (looked) {
      if (!looked.add(loader)) {
        return;
      }
    }
    submit(() -> lookIn(loader, typeName));
  }

  /** Removes every meter and ends the worker (detach); waits a little for the removal. */
  public void close() {
    exported = null;
    if (used) {
      submit(this::removeAll);
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(2, TimeUnit.SECONDS)) {
        LOG.warn("metrics.micrometer: the meters are not all removed from the host's Micrometer within 2 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Runnable task) {
    used = true;
    try {
      worker.execute(() -> {
        try {
          task.run();
        } catch (Throwable failed) {
          LOG.warn("metrics.micrometer: internal error ({}); caching goes on, its meters may be incomplete",
              failed.toString());
        }
      });
    } catch (RuntimeException closed) {
      // detached: nothing more to register
    }
  }

  /** {@code typeName}: the class whose first call brought this look, or null for the look at the rules' start. */
  private void lookIn(ClassLoader loader, String typeName) {
    TieredCache cache = exported;
    if (cache == null) {
      return;
    }
    HostRegistry found;
    try {
      found = HostRegistry.seenBy(loader);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError unusable) {
      LOG.warn("metrics.micrometer: the Micrometer that {} sees cannot be used ({}); no meters there", loader,
          unusable.toString());
      return;
    }
    if (found == null) {
      if (typeName != null && registries.isEmpty() && !warned) {
        warned = true;
        LOG.warn("metrics.micrometer is true, but Micrometer ({}) is visible neither to the class loader of {}, the"
            + " first cached class called, nor to the system class loader: no meters yet. Add micrometer-core to the"
            + " application (Spring Boot: spring-boot-starter-actuator), or set metrics.micrometer: false. The loaders"
            + " of cached classes called later are still looked at.", HostRegistry.METRICS, typeName);
      }
      return;
    }
    registries.removeIf(r -> !r.alive());
    for (HostRegistry known : registries) {
      if (known.sameAs(found)) {
        return;
      }
    }
    registries.add(found);
    register(found, cache);
  }

  private void reregister() {
    TieredCache cache = exported;
    registries.removeIf(r -> !r.alive());
    for (HostRegistry registry : registries) {
      removeFrom(registry);
      if (cache != null) {
        register(registry, cache);
      }
    }
  }

  private void removeAll() {
    for (HostRegistry registry : registries) {
      removeFrom(registry);
    }
  }

  private static void register(HostRegistry registry, TieredCache cache) {
    int rules = 0;
    try {
      for (RuleCache rule : cache.rules()) {
        for (RuleMeter meter : RuleMeter.ALL) {
          registry.register(meter.name, meter.kind, meter.description, meter.tags(rule.name()), rule, meter.reads);
        }
        rules++;
      }
      if (cache.redis().isPresent()) {
        registry.register("tiered.cache.circuit.open", RuleMeter.Kind.GAUGE,
            "1 while the Redis circuit breaker is open (Redis skipped), else 0",
            new String[] {"cache.manager", RuleMeter.CACHE_MANAGER}, cache.redis().get(),
            (RedisConnection redis) -> redis.isCircuitOpen() ? 1 : 0);
      }
      LOG.info("metrics.micrometer: {} meters of {} rules registered in {}", registry.size(), rules, registry);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError failed) {
      LOG.warn("metrics.micrometer: cannot register the meters in {} ({}); caching goes on without them", registry,
          failed.toString());
      removeFrom(registry);
    }
  }

  private static void removeFrom(HostRegistry registry) {
    try {
      registry.removeAll();
    } catch (ReflectiveOperationException | RuntimeException | LinkageError failed) {
      LOG.warn("metrics.micrometer: cannot remove the meters from {} ({})", registry, failed.toString());
    }
  }
}
