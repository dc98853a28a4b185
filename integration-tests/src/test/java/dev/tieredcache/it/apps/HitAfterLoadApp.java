package dev.tieredcache.it.apps;

/** Calls {@link SlowCatalog#price} twice with the same sku. */
public final class HitAfterLoadApp {

  public static void main(String[] args) {
    Report.result("started", true);
    SlowCatalog catalog = new SlowCatalog();
    String first = catalog.price("sku-1");
    String second = catalog.price("sku-1");
    Report.result("first", first);
    Report.result("second", second);
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
  }
}
