package dev.tieredcache.benchmarks;

/** The lifecycle state of a {@link ProductDto}. */
public enum ProductStatus {
  DRAFT,
  ACTIVE,
  DISCONTINUED
}
