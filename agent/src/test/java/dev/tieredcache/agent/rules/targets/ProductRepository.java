package dev.tieredcache.agent.rules.targets;

/** An interface, as Spring Data repositories are: its methods are abstract. */
public interface ProductRepository {

  Product findById(Long id);

  Product findByFilter(Filter filter);

  void delete(Product product);
}
