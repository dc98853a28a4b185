package dev.tieredcache.runtime.codec;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The class names one rule's payloads may name: decided on the name alone, so a refused class is never loaded.
 *
 * <p>A name is allowed when it is
 * <ul>
 *   <li>the rule's declared return type, or reachable from it through generic type arguments and the declared
 *       (non-static, non-transient) field types of application classes, walked recursively; JDK types met on the
 *       way are allowed by exact name but their fields are not walked;</li>
 *   <li>one of a fixed set of JDK value and collection types ({@link #SAFE_JDK_TYPES});</li>
 *   <li>listed in the rule's {@code allow-types:}, as an exact binary name (whose field types are then walked
 *       like the return type's) or a {@code com.acme.dto.*} pattern that admits every class whose name starts
 *       with {@code com.acme.dto.} (sub-packages and nested classes included);</li>
 *   <li>an array whose element type is allowed or primitive.</li>
 * </ul>
 * A field typed {@code Object} or an interface allows only that exact name, never its implementations.
 *
 * <p>Never allowed, whatever the rule says: {@link #NEVER_DECODED}, JDK classes whose {@code equals} or
 * {@code hashCode} reach out of the process ({@code java.net.URL} resolves its host name: a payload holding URLs in
 * a set, a map key or a record that is hashed would make decoding send DNS queries for names it chose).
 * {@code java.net.URI} is the safe type for such fields. Immutable.
 */
final class ClassAllowlist {

  /** JDK types any rule may decode: values, and collections whose elements are checked one by one. */
  static final Set<String> SAFE_JDK_TYPES = safeJdkTypes();

  private static final Pattern BINARY_NAME =
      Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
          + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*");

  /** Class names refused even when declared or listed: see the class comment. */
  static final Set<String> NEVER_DECODED = Set.of("java.net.URL");

  private final Set<String> exactNames;
  private final List<String> prefixes;

  private ClassAllowlist(Set<String> exactNames, List<String> prefixes) {
    this.exactNames = exactNames;
    this.prefixes = prefixes;
  }

  /**
   * The allowlist of a rule whose method returns {@code declaredReturnType}, widened by {@code allowTypes}.
   *
   * @throws IllegalArgumentException if an {@code allowTypes} entry is neither a class name nor a package pattern,
   *     or is too broad ({@link AllowTypesEntry})
   */
  static ClassAllowlist of(Type declaredReturnType, List<String> allowTypes, ClassLoader loader) {
    Set<String> exact = new HashSet<>();
    List<String> prefixes = new ArrayList<>();
    DeclaredTypeWalk walk = new DeclaredTypeWalk(exact);
    for (String entry : allowTypes) {
      String e = entry == null ? "" : entry.trim();
      Optional<String> problem = AllowTypesEntry.problem(e);
      if (problem.isPresent()) {
        throw new IllegalArgumentException(problem.get());
      }
      if (e.endsWith(".*") && BINARY_NAME.matcher(e.substring(0, e.length() - 2)).matches()) {
        prefixes.add(e.substring(0, e.length() - 1));
      } else if (BINARY_NAME.matcher(e).matches()) {
        exact.add(e);
        walkListedClass(walk, e, loader);
      } else {
        throw new IllegalArgumentException("allow-types: entry '" + entry
            + "' is neither a class name (com.acme.dto.Product, com.acme.Outer$Inner) nor a package pattern"
            + " (com.acme.dto.*)");
      }
    }
    walk.visit(declaredReturnType);
    return new ClassAllowlist(Collections.unmodifiableSet(exact), Collections.unmodifiableList(prefixes));
  }

  /**
   * A class listed by exact name allows its field types like the return type does. It is looked up without
   * being initialised; a name the loader does not know (yet) stays allowed by name only.
   */
  private static void walkListedClass(DeclaredTypeWalk walk, String name, ClassLoader loader) {
    try {
      walk.visit(Class.forName(name, false, loader));
    } catch (ClassNotFoundException | LinkageError notThere) {
      // allowed by name only
    }
  }

  /** Whether a payload may name the class {@code binaryName} (as {@link Class#getName()} spells it). */
  boolean allows(String binaryName) {
    if (NEVER_DECODED.contains(binaryName)) {
      return false;
    }
    if (binaryName.startsWith("[")) {
      return allowsArray(binaryName);
    }
    if (exactNames.contains(binaryName) || SAFE_JDK_TYPES.contains(binaryName)) {
      return true;
    }
    for (int i = 0; i < prefixes.size(); i++) {
      if (binaryName.startsWith(prefixes.get(i))) {
        return true;
      }
    }
    return false;
  }

  private boolean allowsArray(String name) {
    int dims = 0;
    while (dims < name.length() && name.charAt(dims) == '[') {
      dims++;
    }
    String element = name.substring(dims);
    if (element.length() == 1) {
      return "ZBCSIJFD".indexOf(element.charAt(0)) >= 0;
    }
    if (element.length() > 2 && element.charAt(0) == 'L' && element.charAt(element.length() - 1) == ';') {
      String elementName = element.substring(1, element.length() - 1);
      // Object[] is a plain container: each of its elements is checked by name on its own.
      return elementName.equals("java.lang.Object") || allows(elementName);
    }
    return false;
  }

  @Override
  public String toString() {
    return "ClassAllowlist{" + exactNames + ", prefixes=" + prefixes + "}";
  }

  private static boolean isJdkType(String name) {
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun.");
  }

  /** Collects the names reachable from a declared type; application classes only are walked into. */
  private static final class DeclaredTypeWalk {
    private final Set<String> names;
    private final Set<Class<?>> walked = new HashSet<>();
    private final Set<TypeVariable<?>> seenVariables = new HashSet<>();

    DeclaredTypeWalk(Set<String> names) {
      this.names = names;
    }

    void visit(Type type) {
      if (type instanceof Class) {
        visitClass((Class<?>) type);
      } else if (type instanceof ParameterizedType) {
        ParameterizedType p = (ParameterizedType) type;
        visit(p.getRawType());
        for (Type argument : p.getActualTypeArguments()) {
          visit(argument);
        }
      } else if (type instanceof GenericArrayType) {
        visit(((GenericArrayType) type).getGenericComponentType());
      } else if (type instanceof WildcardType) {
        WildcardType w = (WildcardType) type;
        for (Type bound : w.getUpperBounds()) {
          visit(bound);
        }
        for (Type bound : w.getLowerBounds()) {
          visit(bound);
        }
      } else if (type instanceof TypeVariable) {
        TypeVariable<?> v = (TypeVariable<?>) type;
        if (seenVariables.add(v)) {
          for (Type bound : v.getBounds()) {
            visit(bound);
          }
        }
      }
    }

    private void visitClass(Class<?> c) {
      while (c.isArray()) {
        c = c.getComponentType();
      }
      if (c.isPrimitive() || c == Object.class || !walked.add(c)) {
        return;
      }
      names.add(c.getName());
      if (isJdkType(c.getName())) {
        return;
      }
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        for (Field f : k.getDeclaredFields()) {
          int m = f.getModifiers();
          if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
            visit(f.getGenericType());
          }
        }
      }
    }
  }

  private static Set<String> safeJdkTypes() {
    Set<String> s = new HashSet<>(Arrays.asList(
        "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
        "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
        "java.math.BigDecimal", "java.math.BigInteger",
        "java.util.UUID", "java.util.Date", "java.util.Locale", "java.util.Currency",
        "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble",
        "java.time.Duration", "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime",
        "java.time.LocalDateTime", "java.time.ZonedDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
        "java.time.ZoneId", "java.time.ZoneOffset", "java.time.ZoneRegion", "java.time.Year",
        "java.time.YearMonth", "java.time.MonthDay", "java.time.Period", "java.time.DayOfWeek", "java.time.Month",
        "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.HashSet",
        "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.HashMap", "java.util.LinkedHashMap",
        "java.util.TreeMap", "java.util.concurrent.ConcurrentHashMap",
        "java.util.concurrent.CopyOnWriteArrayList",
        "java.util.Arrays$ArrayList",
        "java.util.Collections$EmptyList", "java.util.Collections$EmptySet", "java.util.Collections$EmptyMap",
        "java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
        "java.util.Collections$SingletonMap",
        "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableList",
        "java.util.Collections$UnmodifiableRandomAccessList", "java.util.Collections$UnmodifiableSet",
        "java.util.Collections$UnmodifiableSortedSet", "java.util.Collections$UnmodifiableNavigableSet",
        "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSortedMap",
        "java.util.Collections$UnmodifiableNavigableMap",
        "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$ListN",
        "java.util.ImmutableCollections$SubList", "java.util.ImmutableCollections$Set12",
        "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Map1",
        "java.util.ImmutableCollections$MapN"));
    // The running JDK's own names for these, in case they differ from the ones above.
    s.addAll(JdkWrapperSerializers.immutableClassNames());
    s.add(Collections.unmodifiableList(new ArrayList<>()).getClass().getName());
    s.add(Collections.unmodifiableMap(Map.of()).getClass().getName());
    return Collections.unmodifiableSet(s);
  }
}
