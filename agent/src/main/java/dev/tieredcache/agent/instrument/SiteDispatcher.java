package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Dispatcher;
import dev.tieredcache.bridge.Ticket;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.ThrottledLog;
import org.slf4j.LoggerFactory;

/**
 * Connects the bridge to the runtime: finds the site of a call, renders its key and lets the rule's cache answer.
 * Any failure of its own turns the call into a plain call of the original method.
 */
final class SiteDispatcher extends SiteRegistry implements Dispatcher {

  private static final ThrottledLog ERRORS = new ThrottledLog(LoggerFactory.getLogger(SiteDispatcher.class));
  /**
   * Loaded and initialised with the dispatcher, at start-up, rather than by the first loads: thousands of virtual
   * threads whose first loads start together would wait for each other's loading and initialisation of the class
   * (and of the bridge's {@code Ticket}), which pins their carriers ({@code jdk.VirtualThreadPinned}, seen in
   * ManyThreadsTest on Java 25: "waited for initialization of SiteDispatcher$LoadTicket by another thread").
   */
  private static final Class<?> TICKET_TYPE = initialized(LoadTicket.class);
  /**
   * Likewise the batch site's class, which {@link #decide} tests every call against: without batch rules nothing
   * else loads it, and the first misses of 10,000 virtual threads then met in the class loader's lock (a
   * {@code jdk.VirtualThreadPinned} event in ManyThreadsTest on Java 25, "Contended_monitor_enter" in
   * {@code loadClass} under {@code SiteDispatcher.decide}).
   */
  private static final Class<?> BATCH_SITE_TYPE = initialized(BatchSite.class);

  /**
   * A fresh hit in the memory tier's front table is answered here, by a method small enough for the JIT to inline
   * into the instrumented method; everything else (and any failure of the short way) is decided in full by
   * {@link #decide}.
   */
  @Override
  public Object enter(int siteId, Class<?> origin, Object receiver, Object arguments) {
    Object site = get(siteId);
    return site instanceof CachedSite ? enterCached((CachedSite) site, siteId, origin, receiver, arguments)
        : decide(site, siteId, origin, receiver, arguments);
  }

  /**
   * {@link #enter} for two or three arguments passed one by one (see {@link SplitArguments}): the array, with the
   * integers boxed, is built only when no key is remembered for them; then the key is rendered and the front table
   * asked as for any call.
   */
  @Override
  public Object enterEach(int siteId, Class<?> origin, Object receiver, int count, Object first, long firstBits,
      Object second, long secondBits, Object third, long thirdBits) {
    Object site = get(siteId);
    if (!(site instanceof CachedSite)) {
      // only cached methods get this advice; a retired site runs plain
      return null;
    }
    CachedSite cached = (CachedSite) site;
    Object[] arguments;
    try {
      Object hit = cached.freshHit(count, first, firstBits, second, secondBits, third, thirdBits);
      if (hit != null) {
        return hit;
      }
      arguments = cached.arguments(count, first, firstBits, second, secondBits, third, thirdBits);
    } catch (Throwable failed) {
      ERRORS.warn("arguments:" + siteId, "cannot take the arguments of " + origin.getName() + " (site " + siteId
          + "); calling it uncached: " + failed, null);
      return null;
    }
    return enterCached(cached, siteId, origin, receiver, arguments);
  }

  /**
   * {@link #enter} for one integral argument passed as a {@code long}: boxed only when no key is remembered for it
   * (more keys in use than {@link RenderedKeys} holds), then handled as any argument.
   */
  @Override
  public Object enterLong(int siteId, Class<?> origin, Object receiver, long argument) {
    Object site = get(siteId);
    if (!(site instanceof CachedSite)) {
      // only cached methods get this advice; a retired site runs plain
      return null;
    }
    CachedSite cached = (CachedSite) site;
    Object boxed;
    try {
      Object hit = cached.freshHit(argument);
      if (hit != null) {
        return hit;
      }
      boxed = cached.boxed(argument);
    } catch (Throwable failed) {
      ERRORS.warn("arguments:" + siteId, "cannot take the argument of " + origin.getName() + " (site " + siteId
          + "); calling it uncached: " + failed, null);
      return null;
    }
    return enterCached(cached, siteId, origin, receiver, boxed);
  }

  /** {@link #enter} for a cached site: the short way, then the full decision. */
  private Object enterCached(CachedSite site, int siteId, Class<?> origin, Object receiver, Object arguments) {
    try {
      Object hit = site.freshHit(arguments);
      if (hit != null) {
        return hit;
      }
    } catch (Throwable any) {
      // decide() meets the same failure again and reports it
    }
    return decide(site, siteId, origin, receiver, arguments);
  }

  private Object decide(Object any, int siteId, Class<?> origin, Object receiver, Object arguments) {
    if (any instanceof BatchSite) {
      // answers, or runs the call plain, on its own; throws only what the method threw (a batched call that failed
      // for an id without a stale value), which must reach the caller, not turn into a second, plain call
      return ((BatchSite) any).enter(origin, receiver, arguments);
    }
    CachedSite site;
    String key;
    try {
      site = (CachedSite) any;
      if (site == null) {
        return null;
      }
      site.bind(origin);
      key = site.keyOf(arguments);
    } catch (Throwable failed) {
      ERRORS.warn("key:" + siteId, "cannot build the cache key of " + origin.getName() + " (site " + siteId
          + "); calling it uncached: " + failed, null);
      return null;
    }
    RuleCache cache = site.cache();
    Object served = cache.begin(key, site, receiver, arguments);
    if (served instanceof Load) {
      return new LoadTicket(cache, (Load) served);
    }
    return served == RuleCache.NULL_VALUE ? CacheBridge.NULL : served;
  }

  @Override
  public void evict(int siteId, Class<?> origin, Object[] arguments) {
    try {
      EvictSite site = (EvictSite) get(siteId);
      if (site != null) {
        site.evict(arguments);
      }
    } catch (Throwable failed) {
      ERRORS.warn("evict:" + siteId, "evict after " + origin.getName() + " (site " + siteId + ") failed", failed);
    }
  }

  private static Class<?> initialized(Class<?> type) {
    try {
      return Class.forName(type.getName(), true, type.getClassLoader());
    } catch (ClassNotFoundException | LinkageError impossible) {
      // the class is this one's own nested class: it is there; the first load initialises it at worst
      return type;
    }
  }

  /** The bridge's view of a runtime {@link Load}. */
  private static final class LoadTicket extends Ticket {
    private final RuleCache cache;
    private final Load load;

    LoadTicket(RuleCache cache, Load load) {
      this.cache = cache;
      this.load = load;
    }

    @Override
    public Object complete(Object returned, Throwable thrown) {
      Object instead = cache.complete(load, returned, thrown);
      if (instead == RuleCache.AS_CALLED) {
        return null;
      }
      return instead == RuleCache.NULL_VALUE ? CacheBridge.NULL : instead;
    }
  }
}
