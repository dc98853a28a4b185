package dev.tieredcache.it.apps;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A quote service whose two lookups are slow: each call of a key sleeps 50 to 200 ms (fixed per key, so keys finish
 * at different times) and is counted per method and key. The upstream of {@link ManyCallersApp}.
 */
public class SlowQuotes {

  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  /** The quote of {@code sku}: {@code quote:<sku>@v1}. */
  public String quote(String sku) {
    return answer("quote", sku);
  }

  /** The stock level of {@code sku}: {@code stock:<sku>@v1}. */
  public String stock(String sku) {
    return answer("stock", sku);
  }

  /** What a call of {@code method} for {@code sku} returns. */
  public static String expected(String method, String sku) {
    return method + ":" + sku + "@v1";
  }

  /** How long a call for {@code sku} ({@code sku-<n>}) sleeps: 50 ms plus 10 ms for each step of n % 16. */
  static long latencyMillis(String sku) {
    int n = Integer.parseInt(sku.substring(sku.indexOf('-') + 1));
    return 50 + (n % 16) * 10L;
  }

  /** The calls of {@code method} that reached this upstream so far, per key. */
  public static Map<String, Integer> callsPerKey(String method) {
    Map<String, Integer> calls = new TreeMap<>();
    String prefix = method + ":";
    for (Map.Entry<String, AtomicInteger> e : CALLS.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        calls.put(e.getKey().substring(prefix.length()), e.getValue().get());
      }
    }
    return calls;
  }

  private static String answer(String method, String sku) {
    CALLS.computeIfAbsent(method + ":" + sku, k -> new AtomicInteger()).incrementAndGet();
    Report.pause(latencyMillis(sku));
    return expected(method, sku);
  }
}
