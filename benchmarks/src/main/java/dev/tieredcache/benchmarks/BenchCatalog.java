package dev.tieredcache.benchmarks;

/** The upstream of the hit-path benchmark: a lookup that would be slow if it ever ran on a hit. */
public class BenchCatalog {

  /** Counts real calls, so a run can check the hit path never reached the body. */
  public static volatile long calls;

  /** Cached by the agent through hit-path-rules.yaml. */
  public String price(String sku) {
    calls++;
    return load(sku);
  }

  /** Counts real calls of {@link #taggedPrice}. */
  public static volatile long taggedCalls;

  /** Cached by the agent through hit-path-rules.yaml, by a rule with tags (SPEC §3 "Tags"). */
  public String taggedPrice(String sku) {
    taggedCalls++;
    return load(sku);
  }

  /** Not instrumented: what the hand-written cache-aside code loads on a miss. */
  public String load(String sku) {
    return "price-of-" + sku;
  }
}
