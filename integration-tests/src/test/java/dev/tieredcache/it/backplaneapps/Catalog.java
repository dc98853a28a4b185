package dev.tieredcache.it.backplaneapps;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Descriptions of catalogue entries, each load a new version: {@code <id>#<n>}, n counting the loads of this JVM, so
 * an instance that reads a description again can tell a value it held from one it loaded afresh.
 */
public class Catalog {

  /** Calls that reached {@link #describe}'s body in this JVM. */
  public static final AtomicLong LOADS = new AtomicLong();

  public String describe(String id) {
    return id + "#" + LOADS.incrementAndGet();
  }

  /** Takes an entry out of the catalogue; what the evict rule of the scenario hangs on. */
  public void remove(String id) {
    // the table itself is not modelled: the next describe loads a new version anyway
  }
}
