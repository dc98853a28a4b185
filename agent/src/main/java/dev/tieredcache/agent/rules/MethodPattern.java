package dev.tieredcache.agent.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The methods a rule names, written {@code Type#method(params)}. Immutable and thread-safe.
 *
 * <ul>
 *   <li>Type: a binary class name ({@code com.acme.Outer$Inner} for a nested class) in which {@code *} matches any
 *       run of characters, <em>dots included</em>, so {@code com.acme.*Service} also matches
 *       {@code com.acme.billing.InvoiceService}. A trailing {@code +} means the type and every type that extends or
 *       implements it.
 *   <li>Method: a name in which {@code *} matches any run of characters ({@code find*}).
 *   <li>Params: {@code ..} for any parameters, or the erased parameter types separated by commas, without generic
 *       arguments: {@code java.lang.String}, {@code int}, {@code byte[]}, {@code java.util.List}. Common
 *       {@code java.lang} types may be written by simple name ({@code String}, {@code Long}, {@code Object}).
 * </ul>
 *
 * <p>Constructors cannot be named: a cached constructor would hand out one object to many callers.
 */
public final class MethodPattern {

  private static final String EXPECTED = "write Type#method(param types), like com.acme.Catalog#price(java.lang.String)"
      + " or com.acme.*Service#find*(..)";

  private static final Set<String> PRIMITIVES =
      new HashSet<>(Arrays.asList("boolean", "byte", "char", "short", "int", "long", "float", "double"));

  /** The java.lang types people write by simple name in parameter lists. */
  private static final Set<String> JAVA_LANG = new HashSet<>(Arrays.asList(
      "Object", "String", "CharSequence", "Boolean", "Byte", "Character", "Short", "Integer", "Long", "Float",
      "Double", "Number", "Class", "Enum", "Iterable", "Comparable", "Runnable", "StringBuilder", "StringBuffer",
      "Throwable", "Exception", "RuntimeException", "Thread", "Void"));

  private final String text;
  private final String typeGlob;
  private final boolean includesSubtypes;
  private final Pattern typeRegex;
  private final String methodGlob;
  private final Pattern methodRegex;
  private final List<String> parameterTypes;

  private MethodPattern(String text, String typeGlob, boolean includesSubtypes, String methodGlob,
      List<String> parameterTypes) {
    this.text = text;
    this.typeGlob = typeGlob;
    this.includesSubtypes = includesSubtypes;
    this.typeRegex = typeGlob.indexOf('*') < 0 ? null : globToRegex(typeGlob);
    this.methodGlob = methodGlob;
    this.methodRegex = methodGlob.indexOf('*') < 0 ? null : globToRegex(methodGlob);
    this.parameterTypes = parameterTypes;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException naming what is wrong and the expected form; for a constructor, a message that
   *     starts with {@code constructors cannot be cached}
   */
  public static MethodPattern parse(String text) {
    String s = text.trim();
    int hash = s.indexOf('#');
    if (hash < 0) {
      throw invalid(text, "there is no '#' between the type and the method");
    }
    String type = s.substring(0, hash).trim();
    String rest = s.substring(hash + 1).trim();
    boolean subtypes = type.endsWith("+");
    if (subtypes) {
      type = type.substring(0, type.length() - 1);
    }
    checkTypeGlob(text, type);

    int open = rest.indexOf('(');
    if (open < 0) {
      throw invalid(text, "the method has no parameter list; add (..) for any parameters or list their types");
    }
    if (!rest.endsWith(")") || rest.indexOf(')') != rest.length() - 1) {
      throw invalid(text, "the parameter list must end the pattern with a single ')'");
    }
    String method = rest.substring(0, open).trim();
    checkMethodGlob(text, type, method);
    List<String> params = parseParameters(text, rest.substring(open + 1, rest.length() - 1).trim());
    return new MethodPattern(text, type, subtypes, method, params);
  }

  /** The type part without the trailing {@code +}, as written; {@code *} may occur in it. */
  public String typeGlob() {
    return typeGlob;
  }

  /** True when the pattern ends its type with {@code +}: the type and every subtype. */
  public boolean includesSubtypes() {
    return includesSubtypes;
  }

  /** True when the type part has no {@code *}, so it names one type (and, with {@code +}, its subtypes). */
  public boolean isExactType() {
    return typeRegex == null;
  }

  /**
   * The one type named.
   *
   * @throws IllegalStateException if the type part has a {@code *}
   */
  public String exactTypeName() {
    if (!isExactType()) {
      throw new IllegalStateException("the type of " + text + " is a pattern, not a name");
    }
    return typeGlob;
  }

  /**
   * True when a type's binary name ({@code com.acme.Outer$Inner}) matches the type part. Subtypes are the
   * caller's business: with {@link #includesSubtypes()} it also asks about the type's supertypes.
   */
  public boolean matchesTypeName(String binaryName) {
    return typeRegex == null ? typeGlob.equals(binaryName) : typeRegex.matcher(binaryName).matches();
  }

  /** True when a method name matches the method part. */
  public boolean matchesMethodName(String name) {
    return methodRegex == null ? methodGlob.equals(name) : methodRegex.matcher(name).matches();
  }

  /** True when the method part has no {@code *}. */
  public boolean isExactMethodName() {
    return methodRegex == null;
  }

  /** The method part as written. */
  public String methodGlob() {
    return methodGlob;
  }

  /**
   * The parameter types, fully qualified, arrays as {@code byte[]}; empty when the pattern says {@code ..} (any).
   */
  public Optional<List<String>> parameterTypes() {
    return Optional.ofNullable(parameterTypes);
  }

  /**
   * True when a method with these erased parameter types matches: always for {@code ..}, else when the lists are
   * equal. Names are in Byte Buddy's {@code TypeDescription.getActualName()} form: {@code java.lang.String},
   * {@code int}, {@code byte[]}, {@code java.lang.String[][]}, {@code com.acme.Outer$Inner}.
   */
  public boolean matchesParameters(List<String> erasedTypeNames) {
    return parameterTypes == null || parameterTypes.equals(erasedTypeNames);
  }

  /** Returns the pattern as written. */
  /**
   * True if the pattern can name more than one method (a {@code *} in the type or method name, or {@code ..}
   * parameters, which may match overloads): such a rule keeps one key space per method (SPEC §4 "Keys").
   */
  public boolean mayMatchSeveralMethods() {
    return !isExactType() || !isExactMethodName() || parameterTypes().isEmpty();
  }

  /**
   * The name of the key space of {@code methodName(parameters)} declared in {@code typeName}: one method reached
   * through a JDK proxy, a subclass or an implementation of a {@code +} pattern's type is one method, so the type
   * is part of the name only for patterns without {@code +}. It contains no ':' (Java names cannot), so a key
   * {@code <space>:<key>} is never ambiguous.
   */
  public String keySpaceOf(String typeName, String methodName, List<String> parameters) {
    StringBuilder name = new StringBuilder();
    if (!includesSubtypes && !isExactType()) {
      name.append(typeName).append('#');
    }
    return name.append(methodName).append('(').append(String.join(",", parameters)).append(')').toString();
  }

  @Override
  public String toString() {
    return text;
  }

  /** Patterns are equal when written the same. */
  @Override
  public boolean equals(Object o) {
    return o instanceof MethodPattern && ((MethodPattern) o).text.equals(text);
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private static void checkTypeGlob(String text, String type) {
    if (type.isEmpty()) {
      throw invalid(text, "there is no type before '#'");
    }
    if (type.indexOf('+') >= 0) {
      throw invalid(text, "'+' may only end the type, right before '#'");
    }
    for (String segment : type.split("\\.", -1)) {
      if (segment.isEmpty()) {
        throw invalid(text, "the type '" + type + "' has an empty name between dots");
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c != '*' && !Character.isJavaIdentifierPart(c)) {
          throw invalid(text, "the type '" + type + "' holds '" + c + "', which cannot be in a class name");
        }
      }
    }
  }

  private static void checkMethodGlob(String text, String type, String method) {
    if (method.equals("<init>") || method.equals("<clinit>")) {
      throw new IllegalArgumentException("constructors cannot be cached: '" + text + "' names "
          + (method.equals("<init>") ? "a constructor" : "a static initializer")
          + "; name a method that returns the value");
    }
    if (method.isEmpty()) {
      throw invalid(text, "there is no method name between '#' and '('");
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c != '*' && !Character.isJavaIdentifierPart(c)) {
        throw invalid(text, "the method name '" + method + "' holds '" + c + "', which cannot be in a method name");
      }
    }
    if (type.indexOf('*') < 0) {
      String simpleName = type.substring(Math.max(type.lastIndexOf('.'), type.lastIndexOf('$')) + 1);
      if (method.equals(simpleName)) {
        throw new IllegalArgumentException("constructors cannot be cached: '" + text + "' names the constructor of "
            + type + "; name a method that returns the value");
      }
    }
  }

  private static List<String> parseParameters(String text, String params) {
    if (params.equals("..")) {
      return null;
    }
    if (params.isEmpty()) {
      return List.of();
    }
    List<String> types = new ArrayList<>();
    for (String raw : params.split(",", -1)) {
      String param = raw.trim();
      if (param.equals("..")) {
        throw invalid(text, "'..' stands for any parameters and cannot be mixed with parameter types");
      }
      if (param.isEmpty()) {
        throw invalid(text, "the parameter list has an empty type between commas");
      }
      if (param.indexOf('<') >= 0 || param.indexOf('>') >= 0) {
        throw invalid(text, "write parameter types without generic arguments: '" + param.replaceAll("<.*>", "")
            + "', not '" + param + "'");
      }
      types.add(parameterType(text, param));
    }
    return Collections.unmodifiableList(types);
  }

  private static String parameterType(String text, String param) {
    String base = param;
    String dims = "";
    if (base.endsWith("...")) {
      base = base.substring(0, base.length() - 3).trim();
      dims = "[]";
    }
    while (base.endsWith("[]")) {
      base = base.substring(0, base.length() - 2).trim();
      dims += "[]";
    }
    for (String segment : base.split("\\.", -1)) {
      if (!KeyTemplate.isJavaIdentifier(segment)) {
        throw invalid(text, "'" + param + "' is not a parameter type; write a class name like java.lang.String, a"
            + " primitive like int, or an array like byte[]");
      }
    }
    if (base.indexOf('.') < 0 && !PRIMITIVES.contains(base)) {
      if (!JAVA_LANG.contains(base)) {
        throw invalid(text, "parameter type '" + base + "' needs its package, like com.acme." + base
            + " (only common java.lang types may be written without it)");
      }
      base = "java.lang." + base;
    }
    return base + dims;
  }

  private static Pattern globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    int start = 0;
    for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', start)) {
      if (star > start) {
        regex.append(Pattern.quote(glob.substring(start, star)));
      }
      regex.append(".*");
      start = star + 1;
    }
    if (start < glob.length()) {
      regex.append(Pattern.quote(glob.substring(start)));
    }
    return Pattern.compile(regex.toString());
  }

  private static IllegalArgumentException invalid(String text, String problem) {
    return new IllegalArgumentException("invalid method pattern '" + text + "': " + problem + "; " + EXPECTED);
  }
}
