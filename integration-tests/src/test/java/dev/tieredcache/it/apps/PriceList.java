package dev.tieredcache.it.apps;

/** A service interface whose implementations are reached through a proxy, a decorator or a subclass. */
public interface PriceList {

  /** The price of {@code sku}, as {@code <sku>=<price>}. */
  String find(String sku);
}
