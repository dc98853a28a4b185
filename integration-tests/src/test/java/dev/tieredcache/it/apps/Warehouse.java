package dev.tieredcache.it.apps;

import java.util.concurrent.atomic.AtomicInteger;

/** An abstract superclass whose concrete method its subclasses inherit. */
public abstract class Warehouse {

  public static final AtomicInteger LOCATION_CALLS = new AtomicInteger();

  protected abstract String site();

  public String location(String sku) {
    LOCATION_CALLS.incrementAndGet();
    return site() + "/aisle-" + sku.length();
  }
}
