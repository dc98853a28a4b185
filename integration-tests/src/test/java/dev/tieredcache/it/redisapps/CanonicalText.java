package dev.tieredcache.it.redisapps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A text form of a value that two JVMs print identically for equal values of the same classes: maps and sets are
 * printed sorted (a {@code Map.of} iterates in an order that differs from JVM to JVM), and every map, collection
 * and leaf value is prefixed with its class, so a value that comes back as another collection class shows.
 */
public final class CanonicalText {

  private CanonicalText() {}

  public static String of(Object value) {
    if (value == null) {
      return "null";
    }
    String type = value.getClass().getName();
    if (value instanceof Map) {
      List<String> entries = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        entries.add(e.getKey() + "=" + of(e.getValue()));
      }
      entries.sort(null);
      return type + entries;
    }
    if (value instanceof Collection) {
      List<String> elements = new ArrayList<>();
      for (Object element : (Collection<?>) value) {
        elements.add(of(element));
      }
      if (value instanceof Set) {
        elements.sort(null);
      }
      return type + elements;
    }
    return type + ":" + value;
  }
}
