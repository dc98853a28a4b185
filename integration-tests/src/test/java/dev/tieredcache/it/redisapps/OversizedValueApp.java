package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;

/**
 * Calls {@code price("big")} {@value #CALLS} times, in a JVM with a small heap, while Redis holds a value far larger
 * than that heap under the key: prints the first call's value and time, the value of the last call, what any call
 * threw, and the upstream calls; then waits {@value #WRITE_GRACE_MILLIS} ms so the agent's write of the loaded value
 * lands.
 */
public final class OversizedValueApp {

  public static final String KEY = "big";
  public static final int CALLS = 2_001;
  static final long WRITE_GRACE_MILLIS = 500;

  public static void main(String[] args) {
    SlowCatalog catalog = new SlowCatalog();
    long start = System.nanoTime();
    String first = call(catalog);
    Report.result("firstCallMicros", Report.microsSince(start));
    Report.result("first", first);
    String last = first;
    for (int i = 1; i < CALLS; i++) {
      last = call(catalog);
    }
    Report.result("last", last);
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
    Report.pause(WRITE_GRACE_MILLIS);
  }

  private static String call(SlowCatalog catalog) {
    try {
      return catalog.price(KEY);
    } catch (Throwable e) {
      e.printStackTrace();
      return "threw " + e;
    }
  }
}
