package dev.tieredcache.agent.instrument;

import java.util.Arrays;
import java.util.List;

/**
 * The numbered sites that instrumented code refers to. Numbers are baked into the host's bytecode as constants,
 * so a site is never renumbered; a lookup is one array read. {@link SiteDispatcher} is one, so a call finds its
 * site without a further object between the bridge and the array.
 */
class SiteRegistry {

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

  /** Turns the sites with these numbers into plain calls; their numbers are never given out again. */
  synchronized void retire(List<Integer> ids) {
    Object[] current = sites;
    for (int id : ids) {
      if (id >= 0 && id < current.length) {
        current[id] = null;
      }
    }
    // a reader that got the array before this write may still see a retired site once; that call is served by
    // the rules being replaced, as if it had come a moment earlier
    sites = current;
  }

  /** The site with number {@code id}, or {@code null}. */
  final Object get(int id) {
    Object[] current = sites;
    return id >= 0 && id < current.length ? current[id] : null;
  }

  synchronized int size() {
    return count;
  }
}
