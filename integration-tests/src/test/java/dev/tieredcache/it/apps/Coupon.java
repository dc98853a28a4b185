package dev.tieredcache.it.apps;

/** A coupon whose code getter throws until the code is issued: a key property that cannot be read. */
public final class Coupon {

  private final String percent;

  public Coupon(String percent) {
    this.percent = percent;
  }

  public String getCode() {
    throw new IllegalStateException("code not issued yet");
  }

  public String getPercent() {
    return percent;
  }
}
