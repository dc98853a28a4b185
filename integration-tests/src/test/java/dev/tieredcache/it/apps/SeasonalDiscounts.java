package dev.tieredcache.it.apps;

/** Implements {@link Discounts} and inherits its default method. */
public class SeasonalDiscounts implements Discounts {

  @Override
  public String season() {
    return "winter";
  }
}
