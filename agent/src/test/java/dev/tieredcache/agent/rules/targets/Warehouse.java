package dev.tieredcache.agent.rules.targets;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Batch methods of every shape, and some that cannot be batch methods. */
public class Warehouse {

  public Product find(Long id) {
    return null;
  }

  public List<Product> findAll(List<Long> ids) {
    return null;
  }

  public Map<Long, Product> byIds(Set<Long> ids) {
    return null;
  }

  public Product[] load(Long[] ids) {
    return null;
  }

  public List<Product> byNames(List<String> names) {
    return null;
  }

  public Product one(Long id, String note) {
    return null;
  }

  public String summary(List<Long> ids) {
    return null;
  }
}
