package dev.tieredcache.it.apps;

/** A decorator: implements {@link PriceList} by calling the one it wraps. */
public final class AuditedPriceList implements PriceList {

  private final PriceList delegate;

  public AuditedPriceList(PriceList delegate) {
    this.delegate = delegate;
  }

  @Override
  public String find(String sku) {
    return delegate.find(sku);
  }
}
