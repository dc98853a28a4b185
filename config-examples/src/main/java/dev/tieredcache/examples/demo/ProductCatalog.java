package dev.tieredcache.examples.demo;

import java.math.BigDecimal;

/**
 * The application's catalogue service: plain code that asks the {@link SlowDatabase} on every call. It knows
 * nothing of caching; {@code config-examples/demo-rules.yaml} names its methods, and the agent caches them.
 */
public final class ProductCatalog {

  private final SlowDatabase database;

  /** Creates a catalogue on top of {@code database}. */
  public ProductCatalog(SlowDatabase database) {
    this.database = database;
  }

  /**
   * The product with this sku, or null when there is none; one slow database read.
   *
   * @throws DatabaseDownException while the database is down
   */
  public Product findProduct(String sku) {
    return database.readProduct(sku);
  }

  /**
   * The current price of a product, or null when there is none; one slow database read.
   *
   * @throws DatabaseDownException while the database is down
   */
  public Price price(String sku) {
    return database.readPrice(sku);
  }

  /**
   * Changes the price of a product.
   *
   * @throws DatabaseDownException while the database is down
   */
  public void updatePrice(String sku, BigDecimal amount) {
    database.writePrice(sku, amount);
  }
}
