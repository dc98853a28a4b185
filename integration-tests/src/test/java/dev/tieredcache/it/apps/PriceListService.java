package dev.tieredcache.it.apps;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The real bean behind a {@link PriceList} (a {@code @Service} in a Spring app); its prices start at 10. */
public class PriceListService implements PriceList {

  /** find calls that ran this class's body: the "database" reads. */
  public static final AtomicInteger FIND_CALLS = new AtomicInteger();

  private final Map<String, String> prices = new ConcurrentHashMap<>();

  @Override
  public String find(String sku) {
    FIND_CALLS.incrementAndGet();
    return sku + "=" + prices.getOrDefault(sku, "10");
  }

  /** Changes a price behind the service's back, as another process writing to the database would. */
  public void reprice(String sku, String price) {
    prices.put(sku, price);
  }
}
