package dev.tieredcache.it.apps.keyspaces;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Finds the order numbers of a customer; same method name and parameters as {@link UserRepo#find}. */
public class OrderRepo {
  public static final AtomicInteger CALLS = new AtomicInteger();

  public List<String> find(long customerId) {
    CALLS.incrementAndGet();
    return List.of("order-" + customerId + "-a", "order-" + customerId + "-b");
  }

  /** An overload: with {@code (..)} it has a key space of its own too. */
  public List<String> find(String customerName) {
    CALLS.incrementAndGet();
    return List.of("order-of-" + customerName);
  }
}
