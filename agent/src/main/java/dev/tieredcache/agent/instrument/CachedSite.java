package dev.tieredcache.agent.instrument;

import dev.tieredcache.agent.rules.KeyTemplate;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.Upstream;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import net.bytebuddy.description.method.MethodDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrumented method of a caching rule: how its arguments become a key, and how a background refresh calls
 * it again. The method itself is looked up on the first refresh and held weakly, so the agent never keeps the
 * host's class loader alive. A method of a class loader other than the JVM's own is cached in its rule's partition
 * of that loader (see {@link RuleCache#partitionFor}), also held weakly: its class keeps it reachable.
 */
final class CachedSite implements Upstream {

  private static final Logger LOG = LoggerFactory.getLogger(CachedSite.class);

  /** The rule's cache; calls use {@link #cache()}, which is the rule's partition for the method's class loader. */
  final RuleCache cache;
  /**
   * The rule's partition of the method's class loader, or {@code null} when its loader is one of the JVM's own;
   * written by {@link #bind} before {@code origin}, so a caller that saw {@code origin} set sees it.
   */
  private WeakReference<RuleCache> partition;
  private final KeyTemplate key;
  private final boolean oneArgument;
  private final String methodName;
  private final String descriptor;
  private volatile WeakReference<Class<?>> origin;
  private volatile WeakReference<Method> method;
  /**
   * The method's return type, boxed: held strongly when the JDK defines it (no host loader kept alive), else weakly
   * like the method. Until bound, any value passes. Written once; a caller that sees it late checks less, never
   * wrongly.
   */
  private Class<?> jdkValueType = Object.class;
  private WeakReference<Class<?>> hostValueType;

  /** The prefix of this method's key space, {@code null} when its rule keeps one key space. */
  private final String keyPrefix;

  CachedSite(RuleCache cache, KeyTemplate key, MethodDescription target, String keySpace) {
    this.cache = cache;
    this.key = key;
    this.keyPrefix = keySpace == null ? null : cache.addKeySpace(keySpace);
    this.oneArgument = target.getParameters().size() == 1;
    this.methodName = target.getInternalName();
    this.descriptor = target.getDescriptor();
  }

  /**
   * Remembers the class the method is declared in, the first time it is called, takes the rule's partition of its
   * class loader, and tells that cache the declared type of its values (for the Redis codec and copy-on-read).
   */
  void bind(Class<?> declaringType) {
    if (origin == null) {
      bindOnce(declaringType);
    }
  }

  private synchronized void bindOnce(Class<?> declaringType) {
    if (origin != null) {
      return;
    }
    RuleCache bound = cache;
    try {
      bound = cache.partitionFor(declaringType);
      if (bound != cache) {
        partition = new WeakReference<>(bound);
      }
    } catch (Throwable failed) {
      LOG.warn("rule '{}': cannot give {}{} a partition of its class loader ({}); cached with the values of the JVM's"
          + " own loaders", cache.name(), methodName, descriptor, failed.toString());
    }
    try {
      Method m = find(declaringType);
      Class<?> returned = boxed(m.getReturnType());
      ClassLoader definer = returned.getClassLoader();
      if (definer == null || definer == ClassLoader.getPlatformClassLoader()) {
        jdkValueType = returned;
      } else {
        hostValueType = new WeakReference<>(returned);
      }
      bound.bindValueType(m.getGenericReturnType(), declaringType.getClassLoader());
    } catch (Throwable failed) {
      LOG.warn("rule '{}': cannot tell the value type of {}{} ({}); its values stay in memory only", cache.name(),
          methodName, descriptor, failed.toString());
    }
    origin = new WeakReference<>(declaringType);
  }

  /** The cache that calls of this method use, once {@link #bind} ran: the rule, or its partition of the loader. */
  RuleCache cache() {
    WeakReference<RuleCache> own = partition;
    if (own == null) {
      return cache;
    }
    RuleCache c = own.get();
    // cleared only once the method's loader is gone: then nothing calls it any more
    return c != null ? c : cache;
  }

  /** The cache key of a call; {@code arguments} is what the advice passed. */
  String keyOf(Object arguments) {
    String rendered = oneArgument ? key.renderOne(arguments) : key.render((Object[]) arguments);
    return keyPrefix == null ? rendered : keyPrefix.concat(rendered);
  }

  @Override
  public Object call(Object receiver, Object arguments) throws Throwable {
    Object[] args = oneArgument ? new Object[] {arguments} : (Object[]) arguments;
    try {
      return method().invoke(receiver, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private Method method() throws NoSuchMethodException {
    WeakReference<Method> ref = method;
    Method m = ref == null ? null : ref.get();
    if (m != null) {
      return m;
    }
    Class<?> type = origin == null ? null : origin.get();
    if (type == null) {
      throw new NoSuchMethodException(methodName + descriptor + " (its class is gone)");
    }
    return find(type);
  }

  private Method find(Class<?> type) throws NoSuchMethodException {
    for (Method candidate : type.getDeclaredMethods()) {
      if (candidate.getName().equals(methodName)
          && new MethodDescription.ForLoadedMethod(candidate).getDescriptor().equals(descriptor)) {
        candidate.trySetAccessible();
        method = new WeakReference<>(candidate);
        return candidate;
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + methodName + descriptor);
  }

  @Override
  public Class<?> valueType() {
    WeakReference<Class<?>> host = hostValueType;
    if (host == null) {
      return jdkValueType;
    }
    Class<?> type = host.get();
    return type == null ? Object.class : type;
  }

  private static Class<?> boxed(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return MethodType.methodType(type).wrap().returnType();
  }

  @Override
  public String toString() {
    return cache.name() + " @ " + methodName + descriptor;
  }
}
