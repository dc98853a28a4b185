package dev.tieredcache.agent.rules;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands {@code ${VAR}} and {@code ${VAR:-default}} in a scalar value, so that secrets and per-host values stay out
 * of the file. As in a shell, the default is used when the variable is unset or empty. Expanded text is not expanded
 * again. {@code $${} stands for a literal {@code ${} (as in Docker Compose): {@code $${VAR}} is the text
 * {@code ${VAR}}; any other {@code $} is kept as it is.
 */
final class EnvSubstitution {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String ESCAPED = "$${";

  private EnvSubstitution() {}

  /**
   * Returns {@code text} with every reference replaced, and every {@code $${} turned into {@code ${}.
   *
   * @throws IllegalArgumentException if a variable without a default is unset, or a reference is malformed
   */
  static String expand(String text, Function<String, String> env) {
    int start = text.indexOf("${");
    if (start < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16);
    int done = 0;
    while (start >= 0) {
      if (start > 0 && text.startsWith(ESCAPED, start - 1)) {
        // "$${": the first '$' escapes the reference; "${" is kept as text
        sb.append(text, done, start - 1).append("${");
        done = start + 2;
        start = text.indexOf("${", done);
        continue;
      }
      int end = text.indexOf('}', start + 2);
      if (end < 0) {
        throw new IllegalArgumentException("'${' without a closing '}'; write ${VAR} or ${VAR:-default} (or $${"
            + " for a literal ${)");
      }
      String body = text.substring(start + 2, end);
      int sep = body.indexOf(":-");
      String name = sep < 0 ? body : body.substring(0, sep);
      if (!NAME.matcher(name).matches()) {
        // the default may be a secret: never quoted
        throw new IllegalArgumentException("'${" + name + (sep < 0 ? "" : ":-...") + "}' does not name an"
            + " environment variable; write ${VAR} or ${VAR:-default} (or $${ for a literal ${)");
      }
      String value = env.apply(name);
      if (value == null || value.isEmpty()) {
        if (sep < 0) {
          if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " is not set (write ${" + name
                + ":-default} to give a default)");
          }
        } else {
          value = body.substring(sep + 2);
        }
      }
      sb.append(text, done, start).append(value);
      done = end + 1;
      start = text.indexOf("${", done);
    }
    return sb.append(text, done, text.length()).toString();
  }
}
