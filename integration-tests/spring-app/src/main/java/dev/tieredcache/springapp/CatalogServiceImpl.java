package dev.tieredcache.springapp;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/** Counts the calls that reach its bodies, which is what the tests assert on. */
@Service
public class CatalogServiceImpl implements CatalogService {

  static final AtomicInteger DESCRIBE_CALLS = new AtomicInteger();
  static final AtomicInteger CATEGORY_CALLS = new AtomicInteger();
  private static final Logger LOG = LoggerFactory.getLogger(CatalogServiceImpl.class);

  private final ProductRepository repository;

  public CatalogServiceImpl(ProductRepository repository) {
    this.repository = repository;
  }

  @Override
  public String describe(String id) {
    DESCRIBE_CALLS.incrementAndGet();
    LOG.info("describing product {}", id);
    return repository.findById(id).map(p -> p.getName() + " (" + p.getCategory() + ")").orElse("unknown " + id);
  }

  @Override
  @Cacheable("categories")
  public String category(String id) {
    CATEGORY_CALLS.incrementAndGet();
    return repository.findById(id).map(Product::getCategory).orElse("none");
  }
}
