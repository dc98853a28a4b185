package dev.tieredcache.it.apps;

/** Calls a cold key while the database is down, twice, then again after it came back. */
public final class FailingLoadApp {

  public static void main(String[] args) {
    SlowCatalog catalog = new SlowCatalog();
    SlowCatalog.down(true);
    Report.result("firstCall", outcome(catalog));
    Report.result("secondCall", outcome(catalog));
    Report.result("upstreamCallsWhileDown", SlowCatalog.UPSTREAM_CALLS.get());
    SlowCatalog.down(false);
    Report.result("afterRecovery", outcome(catalog));
    Report.result("againAfterRecovery", outcome(catalog));
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
  }

  private static String outcome(SlowCatalog catalog) {
    try {
      return "returned " + catalog.price("sku-1");
    } catch (Throwable t) {
      return "threw " + t.getClass().getName() + ": " + t.getMessage();
    }
  }
}
