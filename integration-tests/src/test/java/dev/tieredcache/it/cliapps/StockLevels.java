package dev.tieredcache.it.cliapps;

import java.util.concurrent.atomic.AtomicLong;

/** A second upstream, called in bursts the test chooses, so its statistics can be compared with the app's counts. */
public class StockLevels {

  /** Calls that ran the body of {@link #level}. */
  public static final AtomicLong UPSTREAM_CALLS = new AtomicLong();

  /** The stock level of {@code item}. */
  public String level(String item) {
    UPSTREAM_CALLS.incrementAndGet();
    return item + ":" + item.length();
  }
}
