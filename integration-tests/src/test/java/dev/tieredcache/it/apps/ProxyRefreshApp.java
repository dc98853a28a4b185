package dev.tieredcache.it.apps;

/**
 * Loads p1 through a JDK-proxy {@link ProductRepository}, lets it turn stale (ttl 200 ms), renames it behind the
 * repository's back, and polls until the background refresh brings the new name.
 */
public final class ProxyRefreshApp {

  public static void main(String[] args) {
    ProductRepository repository = ProductTable.repository();
    Report.result("first", repository.findById("p1").getName());
    Report.pause(350);
    ProductTable.rename(repository, "p1", "steel kettle");
    long staleCall = System.nanoTime();
    String current = repository.findById("p1").getName();
    Report.result("stale", current);
    long deadline = staleCall + 2_000_000_000L;
    while (current.equals("kettle") && System.nanoTime() < deadline) {
      Report.pause(5);
      current = repository.findById("p1").getName();
    }
    Report.result("refreshed", current);
    Report.result("lookups", ProductTable.FIND_CALLS.get());
  }
}
