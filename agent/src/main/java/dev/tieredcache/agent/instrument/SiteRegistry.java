package dev.tieredcache.agent.instrument;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;

/**
 * The numbered sites that instrumented code refers to. Numbers are baked into the host's bytecode as constants,
 * so a site is never renumbered; a lookup is one array read. A site anchored on its class (see {@link SiteAnchors})
 * is held weakly, so the registry does not keep a dropped class loader's sites, partitions and values alive.
 */
final class SiteRegistry {

  private volatile Object[] sites = new Object[64];
  private int count;

  synchronized int add(Object site) {
    Object[] current = sites;
    if (count == current.length) {
      current = Arrays.copyOf(current, count * 2);
    }
    current[count] = site;
    sites = current;
    return count++;
  }

  /** From now on holds the site {@code id} weakly: it was anchored on the class it instruments. */
  synchronized void holdWeakly(int id) {
    Object[] current = sites;
    Object site = current[id];
    if (site != null && !(site instanceof WeakSite)) {
      current[id] = new WeakSite(site);
      sites = current;
    }
  }

  /** Turns the sites with these numbers into plain calls; their numbers are never given out again. */
  synchronized void retire(List<Integer> ids) {
    Object[] current = sites;
    for (int id : ids) {
      if (id >= 0 && id < current.length) {
        Object site = strong(current[id]);
        if (site instanceof CachedSite) {
          ((CachedSite) site).release();
        }
        current[id] = null;
      }
    }
    // a reader that got the array before this write may still see a retired site once; that call is served by
    // the rules being replaced, as if it had come a moment earlier
    sites = current;
  }

  /** The site with number {@code id}, or {@code null}. */
  Object get(int id) {
    Object[] current = sites;
    return id >= 0 && id < current.length ? strong(current[id]) : null;
  }

  private static Object strong(Object slot) {
    return slot instanceof WeakSite ? ((WeakSite) slot).get() : slot;
  }

  synchronized int size() {
    return count;
  }

  /** A slot of a site held weakly. */
  private static final class WeakSite extends WeakReference<Object> {
    WeakSite(Object site) {
      super(site);
    }
  }
}
