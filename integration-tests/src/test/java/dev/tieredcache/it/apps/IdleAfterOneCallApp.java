package dev.tieredcache.it.apps;

/** Calls {@link SlowCatalog#price} once, then stays up for {@code -Dapp.idle.ms} (default 2 s) doing nothing. */
public final class IdleAfterOneCallApp {

  public static void main(String[] args) throws InterruptedException {
    Report.result("started", true);
    Report.result("price", new SlowCatalog().price("sku-1"));
    Thread.sleep(Long.getLong("app.idle.ms", 2000));
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
  }
}
