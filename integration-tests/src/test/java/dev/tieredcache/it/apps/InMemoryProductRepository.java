package dev.tieredcache.it.apps;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain class implementing {@link ProductRepository}, seeded with p1 (kettle) and p2 (toaster). */
public class InMemoryProductRepository implements ProductRepository {

  /** Calls that reached {@link #findById}'s body. */
  public static final AtomicInteger FIND_CALLS = new AtomicInteger();

  private final Map<String, Product> rows = new ConcurrentHashMap<>();

  public InMemoryProductRepository() {
    rows.put("p1", new Product("p1", "kettle"));
    rows.put("p2", new Product("p2", "toaster"));
  }

  @Override
  public Product findById(String id) {
    FIND_CALLS.incrementAndGet();
    return rows.get(id);
  }

  @Override
  public Product save(Product product) {
    rows.put(product.getId(), product);
    return product;
  }

  @Override
  public List<Product> saveAll(List<Product> products) {
    for (Product p : products) {
      rows.put(p.getId(), p);
    }
    return products;
  }
}
