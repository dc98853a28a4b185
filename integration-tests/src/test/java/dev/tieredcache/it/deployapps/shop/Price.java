package dev.tieredcache.it.deployapps.shop;

/** A value of the web application's own class: each deployment has its own {@code Price} class. */
public final class Price {

  private final String sku;
  private final long cents;

  public Price(String sku, long cents) {
    this.sku = sku;
    this.cents = cents;
  }

  public String sku() {
    return sku;
  }

  public long cents() {
    return cents;
  }

  @Override
  public String toString() {
    return sku + "=" + cents;
  }
}
