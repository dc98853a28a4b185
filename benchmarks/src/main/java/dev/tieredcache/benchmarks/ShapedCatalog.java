package dev.tieredcache.benchmarks;

/**
 * Upstreams of every key shape the hit path must serve without allocating: no arguments, a primitive, a boxed
 * number, an enum, several arguments, a string looked up through an equal but distinct instance. Cached by the
 * agent through hit-path-rules.yaml; each counts its real calls so a run can check it never reached the body.
 */
public class ShapedCatalog {

  /** A region, for keys with an enum part. */
  public enum Region { EU, US, ASIA }

  public static volatile long calls;

  public String banner() {
    calls++;
    return "banner";
  }

  public String stock(long sku) {
    calls++;
    return "stock-" + sku;
  }

  public String boxed(Integer sku) {
    calls++;
    return "boxed-" + sku;
  }

  public String regional(Region region) {
    calls++;
    return "regional-" + region;
  }

  public String offer(String sku, int quantity, Region region) {
    calls++;
    return "offer-" + sku + "-" + quantity + "-" + region;
  }

  public String price(String sku) {
    calls++;
    return "price-of-" + sku;
  }
}
