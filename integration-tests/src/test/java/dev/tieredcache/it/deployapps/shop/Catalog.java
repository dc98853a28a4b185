package dev.tieredcache.it.deployapps.shop;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web application's cached methods: a value of its own class, and a JDK list of them (whose class is the JDK's,
 * while its elements belong to the deployment).
 */
public class Catalog {

  /** Calls that ran a method body, in this deployment (each deployment's class has its own counter). */
  public static final AtomicInteger UPSTREAM_CALLS = new AtomicInteger();

  public Price price(String sku) {
    UPSTREAM_CALLS.incrementAndGet();
    return new Price(sku, 100L * sku.length());
  }

  public List<Price> prices(String sku) {
    UPSTREAM_CALLS.incrementAndGet();
    return List.of(new Price(sku, 1), new Price(sku, 2));
  }
}
