package dev.tieredcache.it.apps;

/**
 * Loads v1, lets it turn stale (ttl 200 ms, no stale-while-revalidate), takes the database down and makes 1000
 * calls one millisecond apart; then brings the database back with new data and calls until that arrives.
 */
public final class StaleIfErrorApp {

  static final int CALLS = 1000;

  public static void main(String[] args) {
    SlowCatalog catalog = new SlowCatalog();
    String first = catalog.price("sku-1");
    Report.result("first", first);
    Report.pause(350);
    SlowCatalog.down(true);
    int before = SlowCatalog.UPSTREAM_CALLS.get();

    int servedFirst = 0;
    int otherValues = 0;
    int failures = 0;
    String failure = "none";
    long start = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      try {
        if (first.equals(catalog.price("sku-1"))) {
          servedFirst++;
        } else {
          otherValues++;
        }
      } catch (RuntimeException e) {
        failures++;
        failure = e.toString();
      }
      Report.pause(1);
    }
    Report.result("elapsedMillis", Report.microsSince(start) / 1000);
    Report.result("servedFirst", servedFirst);
    Report.result("otherValues", otherValues);
    Report.result("failures", failures);
    Report.result("lastFailure", failure);
    Report.result("attemptsWhileDown", SlowCatalog.UPSTREAM_CALLS.get() - before);

    // the database comes back with new data: calls go on until the first one gets it (after the error backoff)
    SlowCatalog.version("v2");
    SlowCatalog.down(false);
    String recovered = first;
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (recovered.equals(first) && System.nanoTime() < deadline) {
      recovered = catalog.price("sku-1");
      Report.pause(50);
    }
    Report.result("recovered", recovered);
  }
}
