package dev.tieredcache.it.apps;

import java.util.concurrent.atomic.AtomicInteger;

/** The upstream behind {@link Lots}: counts its calls, returns {@code null} for a negative row, can be made to fail. */
public class CentralLots implements Lots {

  public static final AtomicInteger CALLS = new AtomicInteger();
  public static volatile boolean failing;

  @Override
  public String lot(long warehouse, int row) {
    CALLS.incrementAndGet();
    if (failing) {
      throw new IllegalStateException("the lot service is down");
    }
    return row < 0 ? null : "w" + warehouse + "-r" + row;
  }
}
