package dev.tieredcache.examples.demo;

import java.util.Objects;

/** A product of the catalogue. A plain class: the memory tier keeps it as it is, no {@code Serializable} needed. */
public final class Product {

  private final String sku;
  private final String name;

  /** Creates a product. */
  public Product(String sku, String name) {
    this.sku = Objects.requireNonNull(sku, "sku");
    this.name = Objects.requireNonNull(name, "name");
  }

  /** The stock-keeping unit that identifies the product, like {@code SKU-1}. */
  public String sku() {
    return sku;
  }

  /** The name shown to customers. */
  public String name() {
    return name;
  }

  /** Equal when sku and name are. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Product)) {
      return false;
    }
    Product other = (Product) o;
    return sku.equals(other.sku) && name.equals(other.name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sku, name);
  }

  /** Returns the name, which is what the demo prints. */
  @Override
  public String toString() {
    return name;
  }
}
