package dev.tieredcache.it.backplaneapps;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A catalogue whose reads the tag scenario caches: {@link #product} tagged by the returned product's category,
 * {@link #categoryName} tagged by its argument, {@link #banner} without tags; {@link #renameCategory} evicts the
 * category's tag. Each value names the instance and the call that made it, so a test sees where a value came from.
 */
public final class TaggedCatalog {

  public static final AtomicInteger PRODUCT_CALLS = new AtomicInteger();
  public static final AtomicInteger CATEGORY_CALLS = new AtomicInteger();
  public static final AtomicInteger BANNER_CALLS = new AtomicInteger();

  private final String instance;

  public TaggedCatalog(String instance) {
    this.instance = instance;
  }

  /** An item of category 7; its label says who loaded it. */
  public CatalogItem product(String id) {
    return new CatalogItem(id, 7, instance + "#" + PRODUCT_CALLS.incrementAndGet());
  }

  public String categoryName(long categoryId) {
    return "category " + categoryId + " by " + instance + "#" + CATEGORY_CALLS.incrementAndGet();
  }

  public String banner(long id) {
    return "banner " + id + " by " + instance + "#" + BANNER_CALLS.incrementAndGet();
  }

  /** Renames a category; returns normally, so the evict rule on it runs. */
  public void renameCategory(long categoryId, String name) {
    // the database update of a real application
  }
}
