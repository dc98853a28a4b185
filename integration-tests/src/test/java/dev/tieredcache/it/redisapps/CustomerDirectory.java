package dev.tieredcache.it.redisapps;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream of the shared-values scenario: three lookups whose values are a plain class, a record and a list of
 * maps. Every value is a pure function of the id, so the JVM that reads can build the value it expects itself.
 */
public class CustomerDirectory {

  /** Calls that ran a method body, i.e. reached the "database". */
  public static final AtomicInteger UPSTREAM_CALLS = new AtomicInteger();

  public Customer customer(String id) {
    UPSTREAM_CALLS.incrementAndGet();
    return expectedCustomer(id);
  }

  public OrderSummary orderSummary(String id) {
    UPSTREAM_CALLS.incrementAndGet();
    return expectedOrderSummary(id);
  }

  public List<Map<String, Object>> orderRows(String id) {
    UPSTREAM_CALLS.incrementAndGet();
    return expectedOrderRows(id);
  }

  static Customer expectedCustomer(String id) {
    int n = number(id);
    return new Customer(id, "Customer " + n, new Address(n + " Harbour Street", "Leith", 6000 + n),
        Loyalty.values()[n % 3], List.of("newsletter", "tier-" + n), Instant.ofEpochSecond(1_600_000_000L + n),
        new BigDecimal("12.50").multiply(BigDecimal.valueOf(n)), n % 2 == 0 ? Optional.empty() : Optional.of("c" + n),
        40 + n);
  }

  static OrderSummary expectedOrderSummary(String id) {
    int n = number(id);
    return new OrderSummary(id, 3 + n, new BigDecimal("99.90").add(BigDecimal.valueOf(n)),
        LocalDate.of(2024, 1 + n % 12, 10 + n), List.of("sku-" + n, "sku-" + (n + 1)));
  }

  static List<Map<String, Object>> expectedOrderRows(String id) {
    int n = number(id);
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("sku", "sku-" + n);
    first.put("qty", n);
    first.put("price", new BigDecimal("4.20"));
    first.put("shipped", Boolean.TRUE);
    first.put("at", 1_700_000_000_000L + n);
    first.put("ratio", 0.25);
    first.put("tags", new ArrayList<>(List.of("gift", "express")));
    first.put("note", null);
    rows.add(first);
    rows.add(Map.of("sku", "sku-" + (n + 1), "qty", 2, "delivered", LocalDate.of(2024, 5, n)));
    Map<String, Object> sorted = new TreeMap<>();
    sorted.put("sku", "sku-" + (n + 2));
    sorted.put("nested", new LinkedHashMap<>(Map.of("depth", 2)));
    rows.add(sorted);
    return rows;
  }

  private static int number(String id) {
    return Integer.parseInt(id.substring(id.indexOf('-') + 1));
  }
}
