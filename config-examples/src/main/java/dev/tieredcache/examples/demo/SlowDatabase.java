package dev.tieredcache.examples.demo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's stand-in for a database: every read takes {@link #readTime()} and is counted, and while the database
 * is down every read fails at once with a {@link DatabaseDownException}. Writes are instant and not counted.
 * Thread-safe.
 */
public final class SlowDatabase {

  private final Duration readTime;
  private final Map<String, Product> products = new ConcurrentHashMap<>();
  private final Map<String, Price> prices = new ConcurrentHashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private volatile boolean down;

  /** Creates a database holding a few products, each read of which takes {@code readTime}. */
  public SlowDatabase(Duration readTime) {
    this.readTime = readTime;
    add(new Product("SKU-1", "Espresso machine"), "249.00");
    add(new Product("SKU-2", "Coffee grinder"), "89.90");
    add(new Product("SKU-3", "Milk frother"), "39.50");
  }

  private void add(Product product, String amount) {
    products.put(product.sku(), product);
    prices.put(product.sku(), new Price(product.sku(), new BigDecimal(amount), "EUR"));
  }

  /** How long one read takes. */
  public Duration readTime() {
    return readTime;
  }

  /** The product with this sku, or null; slow. */
  Product readProduct(String sku) {
    read();
    return products.get(sku);
  }

  /** The price of this product, or null; slow. */
  Price readPrice(String sku) {
    read();
    return prices.get(sku);
  }

  /**
   * Sets the price of a product, as the application or any other system sharing the database may.
   *
   * @throws DatabaseDownException while the database is down
   */
  public void writePrice(String sku, BigDecimal amount) {
    if (down) {
      throw new DatabaseDownException("database unavailable: connection refused");
    }
    prices.put(sku, new Price(sku, amount, "EUR"));
  }

  /** Every read tried so far, whether it succeeded or failed. */
  public int reads() {
    return reads.get();
  }

  /** Takes the database down (every read fails) or brings it back up. */
  public void setDown(boolean down) {
    this.down = down;
  }

  private void read() {
    reads.incrementAndGet();
    if (down) {
      throw new DatabaseDownException("database unavailable: connection refused");
    }
    try {
      Thread.sleep(readTime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading", e);
    }
  }
}
