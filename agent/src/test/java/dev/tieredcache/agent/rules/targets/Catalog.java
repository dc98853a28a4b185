package dev.tieredcache.agent.rules.targets;

import java.math.BigDecimal;
import java.util.List;

/** A target class of the rule checks: the methods below are what rules name. */
public class Catalog {

  public BigDecimal price(String sku) {
    return BigDecimal.ONE;
  }

  public BigDecimal price(String sku, int quantity) {
    return BigDecimal.ONE;
  }

  public void save(Product product) {}

  public List<Product> search(Filter filter) {
    return List.of();
  }

  public List<Product> searchAll(Filter[] filters) {
    return List.of();
  }

  public Product find(Product example) {
    return example;
  }

  public String label(Labelled labelled) {
    return labelled.toString();
  }

  public native long checksum(String text);
}
