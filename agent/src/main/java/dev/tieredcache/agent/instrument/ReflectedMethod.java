package dev.tieredcache.agent.instrument;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import net.bytebuddy.description.method.MethodDescription;

/**
 * An instrumented method as a {@link Method}, for calling it again (a background refresh, a batch call with the ids
 * to load): found by name and descriptor among its class's declared methods, made accessible, and held weakly, so
 * the agent never keeps the host's class loader alive; found again if the copy was dropped.
 */
final class ReflectedMethod {

  private final String name;
  private final String descriptor;
  private volatile WeakReference<Method> found;

  ReflectedMethod(String name, String descriptor) {
    this.name = name;
    this.descriptor = descriptor;
  }

  /** The method, looked up on {@code type} (its declaring class) and remembered. */
  Method findIn(Class<?> type) throws NoSuchMethodException {
    for (Method candidate : type.getDeclaredMethods()) {
      if (candidate.getName().equals(name)
          && new MethodDescription.ForLoadedMethod(candidate).getDescriptor().equals(descriptor)) {
        candidate.trySetAccessible();
        found = new WeakReference<>(candidate);
        return candidate;
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name + descriptor);
  }

  /** The method remembered, else looked up again on the declaring class held in {@code origin}. */
  Method get(WeakReference<Class<?>> origin) throws NoSuchMethodException {
    WeakReference<Method> ref = found;
    Method m = ref == null ? null : ref.get();
    if (m != null) {
      return m;
    }
    Class<?> type = origin == null ? null : origin.get();
    if (type == null) {
      throw new NoSuchMethodException(name + descriptor + " (its class is gone)");
    }
    return findIn(type);
  }
}
