package dev.tieredcache.it.apps;

/** A product with an id and a name; no property called {@code nope}. */
public final class Product {

  private final String id;
  private final String name;

  public Product(String id, String name) {
    this.id = id;
    this.name = name;
  }

  public String getId() {
    return id;
  }

  public String getName() {
    return name;
  }

  @Override
  public String toString() {
    return "Product{" + id + ", " + name + "}";
  }
}
