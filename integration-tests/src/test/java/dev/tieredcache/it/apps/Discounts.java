package dev.tieredcache.it.apps;

import java.util.concurrent.atomic.AtomicInteger;

/** An interface whose cached method is a default method. */
public interface Discounts {

  AtomicInteger CODE_CALLS = new AtomicInteger();

  String season();

  default String discountCode(String sku) {
    CODE_CALLS.incrementAndGet();
    return season() + "-" + sku;
  }
}
