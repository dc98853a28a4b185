package dev.tieredcache.it.apps;

import dev.tieredcache.it.cliapps.StockLevels;

/**
 * A known sequence of calls for the periodic stats lines: {@code price} of sku-1 three times and of sku-2 once (2
 * misses, 2 loads, 2 fresh hits), {@code level} of item-1 twice (1 miss, 1 load, 1 fresh hit); then it stays up for
 * {@code -Dapp.idle.ms} (default 2.5 s) doing nothing, so that lines with nothing new follow.
 */
public final class StatsSequenceApp {

  public static void main(String[] args) throws InterruptedException {
    SlowCatalog catalog = new SlowCatalog();
    StockLevels stock = new StockLevels();
    catalog.price("sku-1");
    catalog.price("sku-1");
    catalog.price("sku-1");
    catalog.price("sku-2");
    stock.level("item-1");
    stock.level("item-1");
    Report.result("calls", "done");
    Thread.sleep(Long.getLong("app.idle.ms", 2500));
    Report.result("priceUpstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
    Report.result("levelUpstreamCalls", StockLevels.UPSTREAM_CALLS.get());
  }
}
