package dev.tieredcache.it.backplaneapps;

/** A catalogue item of the tag scenario: its category is what a rule's {@code {result.categoryId}} tag reads. */
public final class CatalogItem {

  private final String id;
  private final long categoryId;
  private final String label;

  public CatalogItem(String id, long categoryId, String label) {
    this.id = id;
    this.categoryId = categoryId;
    this.label = label;
  }

  public String getId() {
    return id;
  }

  public long getCategoryId() {
    return categoryId;
  }

  public String getLabel() {
    return label;
  }
}
