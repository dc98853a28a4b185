package dev.tieredcache.benchmarks;

/** A trivial method no cache is involved in: the floor under every hit of {@link HitPathBenchmark}. */
public class UncachedCatalog {

  private final String price = "price-of-sku-42";

  public String price(String sku) {
    return sku == null ? null : price;
  }
}
