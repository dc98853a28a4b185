package dev.tieredcache.it.apps;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Methods whose return types are a primitive, an array and a generic list, and a static method of two arguments. */
public class Inventory {

  public static final AtomicInteger STOCK_CALLS = new AtomicInteger();
  public static final AtomicInteger SHELVES_CALLS = new AtomicInteger();
  public static final AtomicInteger RELATED_CALLS = new AtomicInteger();
  public static final AtomicInteger QUOTE_CALLS = new AtomicInteger();

  /** Larger than an int, so a value squeezed through an int would show. */
  public long stock(String sku) {
    STOCK_CALLS.incrementAndGet();
    return 5_000_000_000L + sku.length();
  }

  public int[] shelves(String sku) {
    SHELVES_CALLS.incrementAndGet();
    return new int[] {3, 1, sku.length()};
  }

  public List<String> related(String sku) {
    RELATED_CALLS.incrementAndGet();
    return List.of(sku + "-case", sku + "-charger");
  }

  public static String quote(String sku, int quantity) {
    QUOTE_CALLS.incrementAndGet();
    return quantity + " x " + sku;
  }
}
