package dev.tieredcache.runtime.codec;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether one {@code allow-types:} entry is narrow enough. The codec instantiates whatever a payload names within the
 * allowlist, so a broad entry turns it back into a gadget sink for anyone who can write to Redis: {@code com.*} or
 * {@code org.*} admits every library on the class path, {@code java.*} the JDK's own gadgets. An entry must name the
 * application's own classes: an exact class name, or a package pattern with at least two package names before the
 * {@code .*} ({@code com.acme.*}, better {@code com.acme.dto.*}). Nothing under the JDK's namespaces
 * ({@link #JDK_PACKAGES}) may be listed, and no pattern may cover or lie inside a well-known library
 * ({@link #LIBRARY_PACKAGES}); a library's class may still be listed by its exact name.
 */
public final class AllowTypesEntry {

  /** Namespaces of the JDK and of Jakarta EE: the codec already allows their value and collection types. */
  public static final List<String> JDK_PACKAGES =
      List.of("java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "com.oracle.", "oracle.");

  /** Libraries known to hold deserialization gadgets: no pattern may cover one or lie inside one. */
  static final List<String> LIBRARY_PACKAGES = List.of(
      "org.apache.", "org.springframework.", "org.hibernate.", "org.codehaus.", "org.jboss.", "org.eclipse.",
      "org.mozilla.", "org.python.", "org.aspectj.", "org.yaml.", "org.slf4j.", "com.google.", "com.fasterxml.",
      "com.mchange.", "com.esotericsoftware.", "com.alibaba.", "io.netty.", "net.sf.", "ch.qos.", "redis.clients.",
      "groovy.", "clojure.", "bsh.");

  private static final String IDENTIFIER = "[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*";
  private static final Pattern BINARY_NAME = Pattern.compile(IDENTIFIER + "(\\." + IDENTIFIER + ")*");
  private static final int MIN_PATTERN_PACKAGES = 2;

  private AllowTypesEntry() {}

  /** True for a package pattern ({@code com.acme.dto.*}), false for a class name. */
  public static boolean isPattern(String entry) {
    return entry.endsWith(".*");
  }

  /**
   * What is wrong with {@code entry} and how to fix it, or empty when it may be used.
   *
   * @param entry an exact binary class name ({@code com.acme.dto.Product}, {@code com.acme.Outer$Inner}) or a
   *     package pattern ({@code com.acme.dto.*})
   */
  public static Optional<String> problem(String entry) {
    String e = entry == null ? "" : entry.trim();
    boolean pattern = isPattern(e);
    String name = pattern ? e.substring(0, e.length() - 2) : e;
    if (!BINARY_NAME.matcher(name).matches()) {
      return Optional.of("allow-types entry '" + entry + "' is neither a class name (com.acme.dto.Product,"
          + " com.acme.Outer$Inner) nor a package pattern (com.acme.dto.*)");
    }
    String dotted = name + ".";
    for (String jdk : JDK_PACKAGES) {
      if (dotted.startsWith(jdk)) {
        return Optional.of("allow-types entry '" + e + "' names the JDK (" + jdk + "*), whose classes include"
            + " deserialization gadgets; the codec already decodes the JDK's value and collection types, so list only"
            + " your own classes (like com.acme.dto.*), or wrap the value in a class of yours");
      }
    }
    if (!pattern) {
      return Optional.empty();
    }
    int packages = name.split("\\.").length;
    if (packages < MIN_PATTERN_PACKAGES) {
      return Optional.of("allow-types entry '" + e + "' admits every class under " + dotted + "*, libraries"
          + " included, and any of them may be a deserialization gadget; name your application's package, with at"
          + " least " + MIN_PATTERN_PACKAGES + " package names before .* (like com.acme.dto.*)");
    }
    for (String library : LIBRARY_PACKAGES) {
      if (library.startsWith(dotted) || dotted.startsWith(library)) {
        return Optional.of("allow-types entry '" + e + "' admits " + (library.startsWith(dotted) ? "the library "
            + library + "* (which has deserialization gadgets)" : "a library's classes (" + library + "*), which"
            + " may be deserialization gadgets") + "; list the exact classes you cache, or your application's"
            + " own package (like com.acme.dto.*)");
      }
    }
    return Optional.empty();
  }
}
