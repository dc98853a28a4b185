package dev.tieredcache.it.apps;

/** A subclass of the bean whose override calls {@code super.find}. */
public class RegionalPriceListService extends PriceListService {

  @Override
  public String find(String sku) {
    return super.find(sku);
  }
}
