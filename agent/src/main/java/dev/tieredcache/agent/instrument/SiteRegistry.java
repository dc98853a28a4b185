package dev.tieredcache.agent.instrument;

import java.util.Arrays;

/**
 * The numbered sites that instrumented code refers to. Numbers are baked into the host's bytecode as constants,
 * so a site is never renumbered; a lookup is one array read.
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

  /** The site with number {@code id}, or {@code null}. */
  Object get(int id) {
    Object[] current = sites;
    return id >= 0 && id < current.length ? current[id] : null;
  }

  synchronized int size() {
    return count;
  }
}
