package dev.tieredcache.agent.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a rule makes a cache key from a call's arguments: {@code {0}} is argument 0, {@code {0.id}} a property of it,
 * {@code {1.owner.name}} a property of a property; text between placeholders is kept ({@code user:{0}:{1}}), and
 * &#123;&#123; and &#125;&#125; stand for literal braces. Immutable and thread-safe.
 *
 * <p>Each value is written with {@link StableText}, so the key is the same in every JVM for equal arguments. A
 * {@code null} anywhere along a property path is written as {@code null}.
 *
 * <p>Different arguments never share a key. When literal text stands between two placeholders, each rendered value
 * has a backslash put before every backslash of its own and before every character that occurs in such text: with
 * {@code user:{0}:{1}}, {@code ("a:b", "c")} renders {@code user:a\:b:c} and {@code ("a", "b:c")} renders
 * {@code user:a:b\:c}. The separators of the key are then exactly its unescaped literal characters, so the values
 * can be read back from it. Text only before the first or after the last placeholder needs no escaping (its length
 * is fixed), so {@code {0}}, {@code v2:{0}} and {@code {0.id}} render the values as they are. The default key of
 * several arguments is the template {@code {0},{1},...} and therefore escapes commas and backslashes.
 *
 * <p>Two shapes stay ambiguous and are best avoided: placeholders with no text between them ({@code {0}{1}}), and
 * a backslash in the text between placeholders (it reads as an escape).
 */
public final class KeyTemplate {

  private static final Part[] NO_PARTS = new Part[0];

  private final String text;
  private final Part[] parts;
  private final int maxArgumentIndex;
  private final boolean singleArgumentIdentity;
  /**
   * The characters escaped in a rendered value: the backslash and every character of the literal text between
   * placeholders; {@code null} when no literal text stands between two placeholders.
   */
  private final String escaped;
  /** The key of a template without placeholders (a method without parameters): rendered once, not per call. */
  private final String constant;

  private KeyTemplate(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts.toArray(NO_PARTS);
    int max = -1;
    for (Part part : this.parts) {
      if (part.isPlaceholder()) {
        max = Math.max(max, part.index);
      }
    }
    this.maxArgumentIndex = max;
    this.singleArgumentIdentity = this.parts.length == 1 && this.parts[0].isPlaceholder()
        && this.parts[0].index == 0 && this.parts[0].path.length == 0;
    this.escaped = escapedCharacters(this.parts);
    this.constant = max < 0 ? literalText(this.parts) : null;
  }

  private static String literalText(Part[] parts) {
    StringBuilder sb = new StringBuilder();
    for (Part part : parts) {
      sb.append(part.literal);
    }
    return sb.toString();
  }

  private static String escapedCharacters(Part[] parts) {
    StringBuilder escaped = new StringBuilder();
    int first = -1;
    int last = -1;
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].isPlaceholder()) {
        first = first < 0 ? i : first;
        last = i;
      }
    }
    for (int i = first + 1; i < last; i++) {
      if (!parts[i].isPlaceholder()) {
        for (char c : parts[i].literal.toCharArray()) {
          if (escaped.indexOf(String.valueOf(c)) < 0) {
            escaped.append(c);
          }
        }
      }
    }
    if (escaped.length() == 0) {
      return null;
    }
    if (escaped.indexOf("\\") < 0) {
      escaped.append('\\');
    }
    return escaped.toString();
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException if a brace is unmatched, a placeholder is empty, or does not start with an
   *     argument index; the message gives the 0-based offset in {@code text} and how to write it instead
   */
  public static KeyTemplate parse(String text) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '}') {
        throw invalid(text, "'}' at offset " + i + " closes no placeholder; write }} for a literal '}'");
      } else if (c == '{') {
        int close = text.indexOf('}', i + 1);
        int nextOpen = text.indexOf('{', i + 1);
        if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
          throw invalid(text, "'{' at offset " + i + " is not closed; write {{ for a literal '{'");
        }
        if (literal.length() > 0) {
          parts.add(Part.literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(placeholder(text, i, text.substring(i + 1, close)));
        i = close + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(Part.literal(literal.toString()));
    }
    return new KeyTemplate(text, parts);
  }

  /**
   * The default key of a method with {@code arity} parameters: every argument, joined with {@code ","}; the same
   * as the template {@code {0},{1},...}. A method without parameters has the single key {@code ""}.
   *
   * <p>With two or more arguments, a comma or backslash inside an argument's text is escaped with a backslash, as in
   * any template with text between placeholders, so {@code ("a,b", "c")} and {@code ("a", "b,c")} get different
   * keys ({@code a\,b,c} and {@code a,b\,c}), and an explicit template {@code {0},{1}} renders the same keys.
   */
  public static KeyTemplate allArguments(int arity) {
    if (arity < 0) {
      throw new IllegalArgumentException("arity must not be negative: " + arity);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < arity; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('{').append(i).append('}');
    }
    return parse(sb.toString());
  }

  /** The highest argument index the template uses, or -1 when it uses none. */
  public int maxArgumentIndex() {
    return maxArgumentIndex;
  }

  /**
   * True when the key is argument 0 as it is ({@code {0}}, or the default key of a one-parameter method), so that a
   * {@code String} argument is the key itself.
   */
  public boolean isSingleArgumentIdentity() {
    return singleArgumentIdentity;
  }

  /**
   * Makes the key of a call.
   *
   * @throws KeyRenderException if the template uses an argument the call does not have, names a missing property,
   *     or meets a value without a stable text form
   */
  public String render(Object[] args) {
    if (constant != null) {
      return constant;
    }
    if (singleArgumentIdentity) {
      return StableText.of(argument(args, 0));
    }
    StringBuilder sb = new StringBuilder(32);
    for (Part part : parts) {
      if (part.isPlaceholder()) {
        appendValue(sb, argument(args, part.index), part);
      } else {
        sb.append(part.literal);
      }
    }
    return sb.toString();
  }

  /**
   * Makes the key of a call of a one-parameter method without an argument array. For the template {@code {0}} and a
   * {@code String} argument, returns that same string, allocating nothing.
   *
   * @throws KeyRenderException as {@link #render(Object[])} does, and if the template uses an argument other than 0
   */
  public String renderOne(Object arg) {
    if (singleArgumentIdentity) {
      return arg instanceof String ? (String) arg : StableText.of(arg);
    }
    if (maxArgumentIndex > 0) {
      throw new KeyRenderException("key template " + text + " uses argument " + maxArgumentIndex
          + " but the method takes 1 argument");
    }
    StringBuilder sb = new StringBuilder(32);
    for (Part part : parts) {
      if (part.isPlaceholder()) {
        appendValue(sb, arg, part);
      } else {
        sb.append(part.literal);
      }
    }
    return sb.toString();
  }

  /** The placeholders in template order, for checks against the target method's parameter types. */
  List<Part> placeholders() {
    List<Part> placeholders = new ArrayList<>();
    for (Part part : parts) {
      if (part.isPlaceholder()) {
        placeholders.add(part);
      }
    }
    return Collections.unmodifiableList(placeholders);
  }

  /** Returns the template as written. */
  @Override
  public String toString() {
    return text;
  }

  /** Templates are equal when written the same. */
  @Override
  public boolean equals(Object o) {
    return o instanceof KeyTemplate && ((KeyTemplate) o).text.equals(text);
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return text.hashCode();
  }

  private Object argument(Object[] args, int index) {
    if (index >= args.length) {
      throw new KeyRenderException("key template " + text + " uses argument " + index + " but the call has "
          + args.length + (args.length == 1 ? " argument" : " arguments"));
    }
    return args[index];
  }

  private void appendValue(StringBuilder sb, Object argument, Part part) {
    Object value = argument;
    for (String property : part.path) {
      if (value == null) {
        break;
      }
      value = PropertyAccess.get(value, property);
    }
    if (escaped == null) {
      StableText.append(sb, value);
      return;
    }
    String text = StableText.of(value);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (escaped.indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
  }

  private static Part placeholder(String text, int offset, String body) {
    if (body.isEmpty()) {
      throw invalid(text, "empty placeholder {} at offset " + offset + "; write {0} for argument 0");
    }
    String[] segments = body.split("\\.", -1);
    String index = segments[0];
    if (!isDigits(index) || index.length() > 3) {
      throw invalid(text, "placeholder {" + body + "} at offset " + offset
          + " must start with an argument index, like {0} or {0.id}");
    }
    String[] path = new String[segments.length - 1];
    for (int s = 1; s < segments.length; s++) {
      if (!isJavaIdentifier(segments[s])) {
        throw invalid(text, "placeholder {" + body + "} at offset " + offset + " has "
            + (segments[s].isEmpty() ? "an empty property name" : "'" + segments[s] + "', which is not a property name")
            + "; write properties like {0.owner.name}");
      }
      path[s - 1] = segments[s];
    }
    return Part.placeholder(Integer.parseInt(index), path);
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static boolean isJavaIdentifier(String s) {
    if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!Character.isJavaIdentifierPart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException invalid(String text, String problem) {
    return new IllegalArgumentException("invalid key template \"" + text + "\": " + problem);
  }

  /** A run of literal text, or a placeholder: an argument index and a property path (maybe empty). */
  static final class Part {
    final String literal;
    final int index;
    final String[] path;

    private Part(String literal, int index, String[] path) {
      this.literal = literal;
      this.index = index;
      this.path = path;
    }

    static Part literal(String text) {
      return new Part(text, -1, null);
    }

    static Part placeholder(int index, String[] path) {
      return new Part(null, index, path);
    }

    boolean isPlaceholder() {
      return literal == null;
    }
  }
}
