package dev.tieredcache.it.apps;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A catalog whose prices come from a slow, fallible "database": the upstream of most scenarios. The test switches
 * the database's latency, the version of the data it returns, and whether it is down.
 */
public class SlowCatalog {

  /** Calls that reached the database, i.e. ran the body of {@link #price}. */
  public static final AtomicInteger UPSTREAM_CALLS = new AtomicInteger();

  private static volatile long latencyMillis;
  private static volatile String version = "v1";
  private static volatile boolean down;

  /** Makes every following database call take {@code millis}. */
  public static void latency(long millis) {
    latencyMillis = millis;
  }

  /** Makes the database return prices of this data version from now on. */
  public static void version(String v) {
    version = v;
  }

  /** Makes every following database call throw {@code IllegalStateException("db down")}, or work again. */
  public static void down(boolean isDown) {
    down = isDown;
  }

  /** The price of {@code sku}: {@code <sku>@<version>}. */
  public String price(String sku) {
    UPSTREAM_CALLS.incrementAndGet();
    long latency = latencyMillis;
    if (latency > 0) {
      Report.pause(latency);
    }
    if (down) {
      throw new IllegalStateException("db down");
    }
    return sku + "@" + version;
  }
}
