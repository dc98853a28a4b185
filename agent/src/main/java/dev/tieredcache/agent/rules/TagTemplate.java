package dev.tieredcache.agent.rules;

/**
 * One entry of a caching rule's {@code tags:} (SPEC §3 "Tags"): a key template over the arguments ({@code {0}},
 * {@code {1.id}}) that may also read the returned value as {@code {result}} or {@code {result.categoryId}}. Rendered
 * when a value is written. Immutable.
 *
 * <p>{@code {result...}} is the argument after the last one: for a method of {@code n} parameters the template is a
 * {@link KeyTemplate} in which {@code result} reads as {@code n}, rendered over the arguments and the value.
 */
public final class TagTemplate {

  private static final String RESULT = "result";

  private final String text;
  private final KeyTemplate arguments;
  private final boolean readsResult;

  private TagTemplate(String text, KeyTemplate arguments, boolean readsResult) {
    this.text = text;
    this.arguments = arguments;
    this.readsResult = readsResult;
  }

  /**
   * Parses a tag template.
   *
   * @throws IllegalArgumentException as {@link KeyTemplate#parse} does, naming the tag template as written
   */
  public static TagTemplate parse(String text) {
    String asArguments = withResultAs(text, 0);
    try {
      // with result as argument 0, the syntax is checked; without it, the arguments it uses
      KeyTemplate.parse(asArguments);
      boolean readsResult = !asArguments.equals(text);
      KeyTemplate withoutResult = KeyTemplate.parse(readsResult ? withResultAs(text, -1) : text);
      return new TagTemplate(text, withoutResult, readsResult);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid tag template \"" + text + "\": "
          + e.getMessage().replaceFirst("^invalid key template \"[^\"]*\": ", "")
          + " (a placeholder is an argument index like {0} or {0.id}, or the returned value: {result},"
          + " {result.id})");
    }
  }

  /** The highest argument index the template uses ({@code {result}} aside), or -1. */
  public int maxArgumentIndex() {
    return arguments.maxArgumentIndex();
  }

  /** The template without its {@code {result...}} placeholders: the part rendered from the arguments. */
  KeyTemplate argumentsOnly() {
    return arguments;
  }

  /** True when the template reads the returned value. */
  public boolean readsResult() {
    return readsResult;
  }

  /** The template for a method of {@code arity} parameters: {@code {result}} reads the element after them. */
  public KeyTemplate forArity(int arity) {
    return readsResult ? KeyTemplate.parse(withResultAs(text, arity)) : arguments;
  }

  /**
   * {@code text} with each {@code {result}} / {@code {result.path}} placeholder turned into argument {@code index};
   * with a negative index, left out (to see which arguments the rest uses).
   */
  private static String withResultAs(String text, int index) {
    StringBuilder sb = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
        sb.append(c).append(c);
        i += 2;
      } else if (c == '{' && text.startsWith(RESULT, i + 1) && i + 1 + RESULT.length() < text.length()
          && (text.charAt(i + 1 + RESULT.length()) == '}' || text.charAt(i + 1 + RESULT.length()) == '.')) {
        if (index >= 0) {
          sb.append('{').append(index);
          i += 1 + RESULT.length();
        } else {
          int close = text.indexOf('}', i);
          i = close < 0 ? text.length() : close + 1;
        }
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
