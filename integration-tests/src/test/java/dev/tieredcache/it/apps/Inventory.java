package dev.tieredcache.it.apps;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Methods whose return types are a primitive, an array and a generic list, and a static method of two arguments. */
public class Inventory {

  public static final AtomicInteger STOCK_CALLS = new AtomicInteger();
  public static final AtomicInteger SHELVES_CALLS = new AtomicInteger();
  public static final AtomicInteger RELATED_CALLS = new AtomicInteger();
  public static final AtomicInteger QUOTE_CALLS = new AtomicInteger();
  public static final AtomicInteger RESERVED_CALLS = new AtomicInteger();
  public static final AtomicInteger AISLE_CALLS = new AtomicInteger();
  public static final AtomicInteger PLACE_CALLS = new AtomicInteger();
  public static final AtomicInteger LABEL_CALLS = new AtomicInteger();
  public static final AtomicInteger LOT_CALLS = new AtomicInteger();

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

  /** One {@code long} parameter: the agent passes it without boxing. */
  public static String reserved(long sku) {
    RESERVED_CALLS.incrementAndGet();
    return "reserved-" + sku;
  }

  /** One {@code int} parameter. */
  public static String aisle(int number) {
    AISLE_CALLS.incrementAndGet();
    return "aisle-" + number;
  }

  /** Three parameters, two of them integers: the agent passes those as bits, unboxed. */
  public static String place(String sku, long lot, int bin) {
    PLACE_CALLS.incrementAndGet();
    return sku + "@" + lot + "/" + bin;
  }

  /** An instance method of two integers, a {@code long} first (two local slots): both passed as bits. */
  public String lot(long warehouse, int row) {
    LOT_CALLS.incrementAndGet();
    return "w" + warehouse + "-r" + row;
  }

  /** Three parameters of primitive types passed boxed (not integers): {@code double}, {@code char}, {@code boolean}. */
  public static String label(double weight, char size, boolean fragile) {
    LABEL_CALLS.incrementAndGet();
    return weight + "kg/" + size + (fragile ? "/fragile" : "");
  }

  public static String quote(String sku, int quantity) {
    QUOTE_CALLS.incrementAndGet();
    return quantity + " x " + sku;
  }
}
