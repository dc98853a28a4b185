package dev.tieredcache.runtime.backplanetests;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The database every instance of the application reads through its rule: a value per key, changed by the test as a
 * save would change it. A key never written reads as {@code "<key>@1"}. It can also be made unreachable.
 */
final class ProductTable {

  private final ConcurrentHashMap<String, String> rows = new ConcurrentHashMap<>();
  private volatile boolean down;

  /** The row of {@code key}; throws while the table is {@link #goDown() down}. */
  String find(String key) {
    if (down) {
      throw new IllegalStateException("the database is unreachable");
    }
    return rows.getOrDefault(key, key + "@1");
  }

  void goDown() {
    down = true;
  }

  void comeBack() {
    down = false;
  }

  void update(String key, String value) {
    rows.put(key, value);
  }
}
