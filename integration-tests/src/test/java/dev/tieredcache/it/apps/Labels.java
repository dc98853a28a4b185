package dev.tieredcache.it.apps;

import java.util.concurrent.atomic.AtomicInteger;

/** Methods whose rules have key templates that fail at run time (set up by the test's rules file). */
public class Labels {

  public static final AtomicInteger LABEL_CALLS = new AtomicInteger();
  public static final AtomicInteger COUPON_CALLS = new AtomicInteger();

  /** Declared with {@code Object}, so only the run-time argument shows that {@code {0.nope}} does not exist. */
  public String labelOf(Object item) {
    LABEL_CALLS.incrementAndGet();
    return "label of " + item;
  }

  public String couponText(Coupon coupon) {
    COUPON_CALLS.incrementAndGet();
    return coupon.getPercent() + " off";
  }
}
