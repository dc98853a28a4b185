package dev.tieredcache.agent.rules;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Reads a named property ({@code id} in {@code {0.id}}) of a key argument: a public no-arg getter {@code getId()},
 * then {@code isId()} returning a boolean, then a record-style {@code id()}, then a field {@code id} declared on the
 * class or a superclass.
 *
 * <p>The accessor found is remembered per (class, property) in a {@link ClassValue}: the entry lives in the class
 * itself and goes away with it, so no class loader of the host is kept alive by this cache.
 */
final class PropertyAccess {

  private static final ClassValue<ConcurrentMap<String, Accessor>> ACCESSORS =
      new ClassValue<ConcurrentMap<String, Accessor>>() {
        @Override
        protected ConcurrentMap<String, Accessor> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>(4);
        }
      };

  private PropertyAccess() {}

  /**
   * Returns the property's value.
   *
   * @throws KeyRenderException if the class has no such property, or its getter throws
   */
  static Object get(Object target, String property) {
    Class<?> type = target.getClass();
    Accessor accessor = ACCESSORS.get(type).computeIfAbsent(property, p -> resolve(type, p));
    return accessor.read(target);
  }

  /** The getter names tried for a property, in order; shared with the class-path check so both agree. */
  static String getterName(String property) {
    return "get" + capitalized(property);
  }

  static String booleanGetterName(String property) {
    return "is" + capitalized(property);
  }

  private static String capitalized(String property) {
    return Character.toUpperCase(property.charAt(0)) + property.substring(1);
  }

  private static Accessor resolve(Class<?> type, String property) {
    Method method = publicNoArgMethod(type, getterName(property));
    if (method == null) {
      Method is = publicNoArgMethod(type, booleanGetterName(property));
      if (is != null && (is.getReturnType() == boolean.class || is.getReturnType() == Boolean.class)) {
        method = is;
      }
    }
    if (method == null) {
      method = publicNoArgMethod(type, property);
    }
    if (method != null) {
      return new MethodAccessor(method);
    }
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getName().equals(property) && !Modifier.isStatic(field.getModifiers()) && field.trySetAccessible()) {
          return new FieldAccessor(field);
        }
      }
    }
    return new MissingAccessor("no property '" + property + "' on " + type.getName() + " (looked for "
        + getterName(property) + "(), " + booleanGetterName(property) + "(), " + property + "() and a field "
        + property + "); fix the key template");
  }

  /**
   * Finds a public instance method that can actually be called. The run-time class is often not public (a JDK
   * {@code List.of} list, a private implementation class), so the same method is looked up on its public supertypes
   * when the class's own one cannot be made accessible.
   */
  private static Method publicNoArgMethod(Class<?> type, String name) {
    Method method;
    try {
      method = type.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
    if (Modifier.isStatic(method.getModifiers()) || method.getReturnType() == void.class) {
      return null;
    }
    if (isPublicType(method.getDeclaringClass()) || method.trySetAccessible()) {
      return method;
    }
    Deque<Class<?>> todo = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (!seen.add(c)) {
        continue;
      }
      if (c != type && isPublicType(c)) {
        try {
          return c.getMethod(name);
        } catch (NoSuchMethodException e) {
          // this supertype does not declare it; go on up
        }
      }
      if (c.getSuperclass() != null) {
        todo.add(c.getSuperclass());
      }
      for (Class<?> i : c.getInterfaces()) {
        todo.add(i);
      }
    }
    return null;
  }

  private static boolean isPublicType(Class<?> c) {
    for (Class<?> t = c; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers())) {
        return false;
      }
    }
    Module module = c.getModule();
    return !module.isNamed() || module.isExported(c.getPackageName());
  }

  private interface Accessor {
    Object read(Object target);
  }

  private static final class MethodAccessor implements Accessor {
    private final Method method;

    MethodAccessor(Method method) {
      this.method = method;
    }

    @Override
    public Object read(Object target) {
      try {
        return method.invoke(target);
      } catch (InvocationTargetException e) {
        throw new KeyRenderException(method.getDeclaringClass().getName() + "." + method.getName()
            + "() threw while the cache key was made", e.getCause());
      } catch (IllegalAccessException e) {
        throw new KeyRenderException("cannot call " + method + " to make the cache key", e);
      }
    }
  }

  private static final class FieldAccessor implements Accessor {
    private final Field field;

    FieldAccessor(Field field) {
      this.field = field;
    }

    @Override
    public Object read(Object target) {
      try {
        return field.get(target);
      } catch (IllegalAccessException e) {
        throw new KeyRenderException("cannot read " + field + " to make the cache key", e);
      }
    }
  }

  /** Remembered too, so that a wrong template costs one lookup per class rather than one per call. */
  private static final class MissingAccessor implements Accessor {
    private final String message;

    MissingAccessor(String message) {
      this.message = message;
    }

    @Override
    public Object read(Object target) {
      throw new KeyRenderException(message);
    }
  }
}
