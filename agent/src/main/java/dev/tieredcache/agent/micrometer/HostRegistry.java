package dev.tieredcache.agent.micrometer;

import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The global registry ({@code Metrics.globalRegistry}) of one copy of Micrometer in the host, reached by reflection
 * through the class loader that defines it: the agent jar bundles no Micrometer, and its classes cannot see the
 * host's. Everything is held weakly (the registry, its loader, the meters registered here), so the agent never keeps
 * the host's class loader alive; Micrometer in turn holds only the agent's functions and, weakly, the rules they
 * read. Not thread-safe: {@link MicrometerExport} uses it from its one worker thread.
 */
final class HostRegistry {

  static final String METRICS = "io.micrometer.core.instrument.Metrics";
  private static final String METER = "io.micrometer.core.instrument.Meter";
  private static final String METER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";
  private static final String FUNCTION_COUNTER = "io.micrometer.core.instrument.FunctionCounter";
  private static final String GAUGE = "io.micrometer.core.instrument.Gauge";

  private final WeakReference<ClassLoader> loader;
  private final WeakReference<Object> registry;
  private final String description;
  private final List<WeakReference<Object>> meters = new ArrayList<>();

  private HostRegistry(ClassLoader loader, Object registry) {
    this.loader = new WeakReference<>(loader);
    this.registry = new WeakReference<>(registry);
    this.description = "the Micrometer global registry of " + (loader == null ? "the bootstrap class loader"
        : loader.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(loader)));
  }

  /**
   * The global registry of the Micrometer that {@code loader} sees, or {@code null} when it sees none.
   *
   * @throws ReflectiveOperationException when it sees one whose API is not the expected one
   */
  static HostRegistry seenBy(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> metrics;
    try {
      metrics = Class.forName(METRICS, true, loader);
    } catch (ClassNotFoundException | LinkageError absent) {
      return null;
    }
    Object global = metrics.getField("globalRegistry").get(null);
    if (global == null) {
      return null;
    }
    return new HostRegistry(metrics.getClassLoader(), global);
  }

  /** Whether this is {@code other}'s registry (two loaders that see one Micrometer see one registry). */
  boolean sameAs(HostRegistry other) {
    Object mine = registry.get();
    return mine != null && mine == other.registry.get();
  }

  /** Whether the registry still exists (its class loader has not been dropped). */
  boolean alive() {
    return registry.get() != null && loader.get() != null;
  }

  /**
   * Registers one meter that reads {@code source} through {@code reads} when the registry is scraped; a meter of the
   * same name and tags already there (left by an earlier start of the agent) is replaced. Micrometer holds
   * {@code source} weakly.
   */
  <T> void register(String name, RuleMeter.Kind kind, String description, String[] tags, T source,
      ToDoubleFunction<T> reads) throws ReflectiveOperationException {
    ClassLoader l = loader.get();
    Object r = registry.get();
    if (l == null || r == null) {
      return;
    }
    Class<?> registryType = Class.forName(METER_REGISTRY, false, l);
    removeMatching(r, registryType, Class.forName(METER, false, l), name, tags);
    Class<?> meterType = Class.forName(kind == RuleMeter.Kind.COUNTER ? FUNCTION_COUNTER : GAUGE, false, l);
    Method builderOf = meterType.getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
    Class<?> builderType = builderOf.getReturnType();
    Object builder = invoke(builderOf, null, name, source, reads);
    invoke(builderType.getMethod("tags", String[].class), builder, (Object) tags);
    invoke(builderType.getMethod("description", String.class), builder, description);
    Object meter = invoke(builderType.getMethod("register", registryType), builder, r);
    meters.add(new WeakReference<>(meter));
  }

  /** Removes every meter registered here; a meter or registry gone already is skipped. */
  void removeAll() throws ReflectiveOperationException {
    ClassLoader l = loader.get();
    Object r = registry.get();
    List<WeakReference<Object>> registered = new ArrayList<>(meters);
    meters.clear();
    if (l == null || r == null) {
      return;
    }
    Method remove = Class.forName(METER_REGISTRY, false, l).getMethod("remove", Class.forName(METER, false, l));
    for (WeakReference<Object> ref : registered) {
      Object meter = ref.get();
      if (meter != null) {
        invoke(remove, r, meter);
      }
    }
  }

  /** How many meters this registration holds now. */
  int size() {
    return meters.size();
  }

  private static void removeMatching(Object registry, Class<?> registryType, Class<?> meterType, String name,
      String[] tags) throws ReflectiveOperationException {
    Object search = invoke(registryType.getMethod("find", String.class), registry, name);
    search = invoke(search.getClass().getMethod("tags", String[].class), search, (Object) tags);
    Collection<?> found = (Collection<?>) invoke(search.getClass().getMethod("meters"), search);
    if (found.isEmpty()) {
      return;
    }
    Method remove = registryType.getMethod("remove", meterType);
    for (Object meter : found) {
      invoke(remove, registry, meter);
    }
  }

  private static Object invoke(Method method, Object target, Object... arguments)
      throws ReflectiveOperationException {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
