package dev.tieredcache.it.apps;

import java.util.List;

/** A repository in the shape of a Spring Data one. */
public interface ProductRepository {

  Product findById(String id);

  Product save(Product product);

  List<Product> saveAll(List<Product> products);
}
