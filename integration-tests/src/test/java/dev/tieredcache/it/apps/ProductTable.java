package dev.tieredcache.it.apps;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The invocation handler behind a JDK-proxy {@link ProductRepository}, the way Spring Data builds repositories:
 * the only implementation of the interface is the proxy class. Seeded with p1 (kettle) and p2 (toaster).
 */
public final class ProductTable implements InvocationHandler {

  /** findById calls that reached the handler. */
  public static final AtomicInteger FIND_CALLS = new AtomicInteger();

  private final Map<String, Product> rows = new ConcurrentHashMap<>();

  private ProductTable() {
    rows.put("p1", new Product("p1", "kettle"));
    rows.put("p2", new Product("p2", "toaster"));
  }

  /** A repository that is a {@link Proxy} over a new table. */
  public static ProductRepository repository() {
    return (ProductRepository) Proxy.newProxyInstance(ProductRepository.class.getClassLoader(),
        new Class<?>[] {ProductRepository.class}, new ProductTable());
  }

  /** Changes a row behind the repository's back, as another process writing to the database would. */
  public static void rename(ProductRepository repository, String id, String name) {
    ((ProductTable) Proxy.getInvocationHandler(repository)).rows.put(id, new Product(id, name));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "findById":
        FIND_CALLS.incrementAndGet();
        return rows.get((String) args[0]);
      case "save":
        Product p = (Product) args[0];
        rows.put(p.getId(), p);
        return p;
      case "saveAll":
        for (Product each : (List<Product>) args[0]) {
          rows.put(each.getId(), each);
        }
        return args[0];
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      case "toString":
        return "ProductRepository proxy";
      default:
        throw new UnsupportedOperationException(method.toString());
    }
  }
}
