package dev.tieredcache.agent.rules;

import java.util.OptionalInt;

/**
 * What a batch rule does (SPEC §3 "Batch rules"): the caching rule each id is looked up in, how an element of the
 * result renders the key of its id, and which argument holds the ids. Immutable.
 */
public final class BatchSpec {

  private final String ruleName;
  private final String keyText;
  private final KeyTemplate elementKey;
  private final int idsIndex;

  BatchSpec(String ruleName, String keyText, KeyTemplate elementKey, int idsIndex) {
    this.ruleName = ruleName;
    this.keyText = keyText;
    this.elementKey = elementKey;
    this.idsIndex = idsIndex;
  }

  /** The caching rule each id is looked up in: its keys, policy and tiers. It exists in the same file. */
  public String ruleName() {
    return ruleName;
  }

  /**
   * The key of an element of the result, as the named rule renders it for the element's id: a template in which the
   * element is argument 0 ({@code {id}} reads as {@code {0.id}}).
   */
  public KeyTemplate elementKey() {
    return elementKey;
  }

  /** The index of the argument that holds the ids; empty for the method's only (or first) collection or array. */
  public OptionalInt idsIndex() {
    return idsIndex < 0 ? OptionalInt.empty() : OptionalInt.of(idsIndex);
  }

  /**
   * The template over an element as written ({@code {id}}, {@code sku-{sku}}) turned into a key template whose
   * argument 0 is the element.
   *
   * @throws IllegalArgumentException when a placeholder is not a property name, or the braces do not match
   */
  static KeyTemplate elementTemplate(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
        sb.append(c).append(c);
        i += 2;
      } else if (c == '{') {
        int close = text.indexOf('}', i + 1);
        String body = close < 0 ? "" : text.substring(i + 1, close);
        if (close < 0 || body.isEmpty() || !KeyTemplate.isJavaIdentifier(body.split("\\.", -1)[0])) {
          throw new IllegalArgumentException("invalid batch key \"" + text + "\": placeholder at offset " + i
              + " must name a property of an element, like {id} or {sku} (a getter or field of the returned"
              + " elements)");
        }
        sb.append("{0.").append(body).append('}');
        i = close + 1;
      } else {
        sb.append(c);
        i++;
      }
    }
    try {
      return KeyTemplate.parse(sb.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid batch key \"" + text + "\": "
          + e.getMessage().replaceFirst("^invalid key template \"[^\"]*\": ", "").replace("{0.", "{"));
    }
  }

  /** A description for logs: {@code product key={id}}. */
  @Override
  public String toString() {
    return ruleName + " key=" + keyText + (idsIndex < 0 ? "" : " ids={" + idsIndex + "}");
  }
}
