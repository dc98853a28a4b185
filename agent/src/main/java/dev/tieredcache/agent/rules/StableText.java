package dev.tieredcache.agent.rules;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;

/**
 * The text of an argument value as it goes into a cache key: the same in every JVM for equal arguments, because
 * instances on different hosts share Redis keys and evict each other's entries by key.
 *
 * <p>How values are written:
 * <ul>
 *   <li>{@code null} → {@code null}; a {@link CharSequence} as it is;
 *   <li>{@link Boolean}, {@link Character}, {@link Byte}, {@link Short}, {@link Integer}, {@link Long}, {@link Float},
 *       {@link Double}, {@link BigInteger}, {@link BigDecimal} → {@code toString()}. {@code BigDecimal} keeps its
 *       scale ({@code 1.0} and {@code 1.00} are different keys), as {@code equals} does. {@code Float} and
 *       {@code Double} use {@code toString()}, which JDK 19 changed for a few values (the shortest decimal is now
 *       always chosen), so a fleet that mixes older and newer JDKs may key such a value twice;
 *   <li>an enum constant → {@link Enum#name()} (its {@code toString()} may be overridden and localised);
 *   <li>{@link Date} (and its {@code java.sql} subclasses) → epoch milliseconds, since its {@code toString()}
 *       depends on the JVM's time zone; a {@link Class} → {@link Class#getName()};
 *   <li>arrays and non-{@link Set} collections → {@code [a,b]} in iteration order; a {@link Set} → its elements'
 *       texts sorted, since the iteration order of hash sets (of enums, say) differs between JVMs; a {@link Map} →
 *       {@code {k=v,k2=v2}} sorted by key text; {@link Optional} → {@code Optional[x]} or {@code Optional.empty};
 *   <li>any other object whose class, or a superclass other than {@code Object}, declares {@code toString()} →
 *       that {@code toString()} ({@code UUID}, {@code java.time} values, records, ...);
 *   <li>anything else has only the identity {@code toString()} ({@code Filter@1b6d3586}), which differs in every
 *       JVM and on every call, so it is rejected with a {@link KeyRenderException}.
 * </ul>
 */
public final class StableText {

  /** Whether a class declares {@code toString()} below {@code Object}; per class, dropped with the class. */
  private static final ClassValue<Boolean> OWN_TO_STRING = new ClassValue<Boolean>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
        try {
          c.getDeclaredMethod("toString");
          return Boolean.TRUE;
        } catch (NoSuchMethodException e) {
          // not on this class; try its superclass
        }
      }
      return Boolean.FALSE;
    }
  };

  private StableText() {}

  /**
   * Returns the stable text of {@code value}. A {@code String} comes back as the same instance.
   *
   * @throws KeyRenderException if the value, or an element of it, has no stable text form
   */
  public static String of(Object value) {
    if (value instanceof String) {
      return (String) value;
    }
    if (value == null) {
      return "null";
    }
    if (isPlainValue(value)) {
      return value.toString();
    }
    if (value instanceof Enum) {
      // the constant's own name string: nothing built per call
      return ((Enum<?>) value).name();
    }
    StringBuilder sb = new StringBuilder(32);
    append(sb, value);
    return sb.toString();
  }

  /**
   * Appends the stable text of {@code value} to {@code sb}.
   *
   * @throws KeyRenderException if the value, or an element of it, has no stable text form; {@code sb} may then hold
   *     part of the text
   */
  public static void append(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof CharSequence) {
      sb.append((CharSequence) value);
    } else if (isPlainValue(value)) {
      sb.append(value.toString());
    } else if (value instanceof Enum) {
      sb.append(((Enum<?>) value).name());
    } else if (value instanceof Date) {
      sb.append(((Date) value).getTime());
    } else if (value instanceof Class) {
      sb.append(((Class<?>) value).getName());
    } else if (value.getClass().isArray()) {
      appendArray(sb, value);
    } else if (value instanceof Set) {
      appendSorted(sb, (Set<?>) value);
    } else if (value instanceof Collection) {
      appendInOrder(sb, (Collection<?>) value);
    } else if (value instanceof Map) {
      appendMap(sb, (Map<?, ?>) value);
    } else if (value instanceof Optional) {
      Optional<?> optional = (Optional<?>) value;
      if (optional.isPresent()) {
        sb.append("Optional[");
        append(sb, optional.get());
        sb.append(']');
      } else {
        sb.append("Optional.empty");
      }
    } else if (OWN_TO_STRING.get(value.getClass())) {
      sb.append(value.toString());
    } else {
      throw new KeyRenderException("a value of class " + value.getClass().getName()
          + " has no stable text form (it does not override toString()); use a key template that names one of its"
          + " properties, such as {0.id}");
    }
  }

  /**
   * Tells, before any class is loaded, whether a declared parameter type can give a stable key text.
   *
   * <p>Empty when the type has, or may have at run time, a stable form: primitives, arrays of such, interfaces,
   * abstract classes and {@code Object} (the run-time class decides), enums, collections, maps, {@code Optional},
   * character sequences, dates, and every class whose hierarchy below {@code Object} declares {@code toString()}.
   * When part of the hierarchy cannot be found, the type is given the benefit of the doubt.
   *
   * @return a reason such as {@code "com.acme.Filter does not override toString()"} when the type is a concrete class
   *     that only has the identity {@code toString()}
   */
  public static Optional<String> unstableReason(TypeDescription type) {
    return unstableClass(type).map(c -> c.getName() + " does not override toString()");
  }

  /** The class without a stable text form that makes {@code type} unstable: the type itself or its element type. */
  static Optional<TypeDescription> unstableClass(TypeDescription type) {
    try {
      TypeDescription element = type;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (element.isPrimitive() || element.isInterface() || element.isAbstract()
          || element.represents(Object.class) || hasSpecialForm(element)) {
        return Optional.empty();
      }
      for (TypeDescription t = element; t != null && !t.represents(Object.class); t = superClassOf(t)) {
        if (!t.getDeclaredMethods().filter(named("toString").and(takesArguments(0))).isEmpty()) {
          return Optional.empty();
        }
      }
      return Optional.of(element);
    } catch (IllegalStateException e) {
      // part of the hierarchy is not on the class path: the class may well have a toString()
      return Optional.empty();
    }
  }

  private static TypeDescription superClassOf(TypeDescription type) {
    TypeDescription.Generic superClass = type.getSuperClass();
    return superClass == null ? null : superClass.asErasure();
  }

  /** Types that {@link #append} writes by their kind rather than by their {@code toString()}. */
  private static boolean hasSpecialForm(TypeDescription type) {
    return type.isEnum()
        || type.isAssignableTo(CharSequence.class)
        || type.isAssignableTo(Collection.class)
        || type.isAssignableTo(Map.class)
        || type.isAssignableTo(Date.class)
        || type.represents(Optional.class)
        || type.represents(Class.class);
  }

  private static boolean isPlainValue(Object value) {
    Class<?> c = value.getClass();
    return c == Integer.class || c == Long.class || c == Boolean.class || c == Character.class
        || c == Short.class || c == Byte.class || c == Double.class || c == Float.class
        || c == BigInteger.class || c == BigDecimal.class;
  }

  private static void appendArray(StringBuilder sb, Object array) {
    sb.append('[');
    int length = Array.getLength(array);
    if (array instanceof Object[]) {
      Object[] objects = (Object[]) array;
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        append(sb, objects[i]);
      }
    } else {
      // primitive arrays: Array.get boxes, but keys of array arguments are rare enough not to matter
      for (int i = 0; i < length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(Array.get(array, i));
      }
    }
    sb.append(']');
  }

  private static void appendInOrder(StringBuilder sb, Collection<?> collection) {
    sb.append('[');
    boolean first = true;
    for (Object element : collection) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      append(sb, element);
    }
    sb.append(']');
  }

  private static void appendSorted(StringBuilder sb, Set<?> set) {
    List<String> texts = new ArrayList<>(set.size());
    for (Object element : set) {
      texts.add(of(element));
    }
    texts.sort(null);
    sb.append('[').append(String.join(",", texts)).append(']');
  }

  private static void appendMap(StringBuilder sb, Map<?, ?> map) {
    List<String[]> entries = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      entries.add(new String[] {of(entry.getKey()), of(entry.getValue())});
    }
    // keys of different types can share a text (1 and "1"); the value then decides, so the order stays fixed
    entries.sort((a, b) -> {
      int byKey = a[0].compareTo(b[0]);
      return byKey != 0 ? byKey : a[1].compareTo(b[1]);
    });
    sb.append('{');
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(entries.get(i)[0]).append('=').append(entries.get(i)[1]);
    }
    sb.append('}');
  }
}
