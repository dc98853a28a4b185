package dev.tieredcache.it.apps;

/** Finds and saves through a JDK-proxy {@link ProductRepository}. */
public final class ProxyRepositoryApp {

  public static void main(String[] args) {
    ProductRepository repository = ProductTable.repository();
    Report.result("repositoryClass", repository.getClass().getName());
    Report.result("first", repository.findById("p1").getName());
    Report.result("second", repository.findById("p1").getName());
    Report.result("lookupsAfterRepeatedFind", ProductTable.FIND_CALLS.get());
    Report.result("otherKey", repository.findById("p2").getName());
    Report.result("lookupsAfterOtherKey", ProductTable.FIND_CALLS.get());
    repository.save(new Product("p1", "steel kettle"));
    Report.result("findAfterSave", repository.findById("p1").getName());
    Report.result("lookupsAfterSave", ProductTable.FIND_CALLS.get());
  }
}
