package dev.tieredcache.it.metricsapps;

/** Where a price changes: the rules of the metrics tests evict the price of the sku after {@link #update}. */
public class PriceUpdates {

  /** Marks the price of {@code sku} as changed; the body does nothing, the evict rule does the work. */
  public void update(String sku) {
    // the evict rule acts after this method returns
  }
}
