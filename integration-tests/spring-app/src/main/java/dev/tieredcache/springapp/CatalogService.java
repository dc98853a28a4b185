package dev.tieredcache.springapp;

/** The service the controller and the scenario call; its implementation is a Spring bean behind a CGLIB proxy. */
public interface CatalogService {

  /** A line describing the product, built from the repository (cached by a rule of the agent). */
  String describe(String id);

  /** The product's category (cached by the application's own {@code @Cacheable}). */
  String category(String id);
}
