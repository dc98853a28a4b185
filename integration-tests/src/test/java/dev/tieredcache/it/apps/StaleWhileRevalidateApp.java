package dev.tieredcache.it.apps;

/**
 * Loads v1, lets it turn stale (the rule's ttl is 200 ms), makes the database slow (300 ms) and return v2, then
 * measures the stale call and polls until the background refresh's v2 shows up.
 */
public final class StaleWhileRevalidateApp {

  public static void main(String[] args) {
    SlowCatalog catalog = new SlowCatalog();
    Report.result("first", catalog.price("sku-1"));
    Report.pause(350);
    SlowCatalog.latency(300);
    SlowCatalog.version("v2");

    long staleCall = System.nanoTime();
    String stale = catalog.price("sku-1");
    Report.result("staleCallMicros", Report.microsSince(staleCall));
    Report.result("stale", stale);

    String current = stale;
    long deadline = staleCall + 2_000_000_000L;
    while (!current.endsWith("@v2") && System.nanoTime() < deadline) {
      Report.pause(5);
      current = catalog.price("sku-1");
    }
    Report.result("refreshedAfterMicros", Report.microsSince(staleCall));
    Report.result("refreshed", current);
    Report.result("afterRefresh", catalog.price("sku-1"));
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
  }
}
