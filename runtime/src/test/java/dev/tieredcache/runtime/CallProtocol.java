package dev.tieredcache.runtime;

/**
 * One call of a cached method, made exactly as the agent's advice makes it: {@code frontHit}, else {@code begin}, then the served value,
 * a plain call of the method, or a load of it whose outcome goes to {@code complete}. Test call sites of every
 * package share it.
 */
public final class CallProtocol {

  private CallProtocol() {}

  /**
   * @param refresh what the rule may call for a background refresh (normally the call site itself)
   * @param method the method's own body, called when the cache does not answer
   */
  public static Object call(RuleCache rule, String key, Upstream refresh, Object receiver, Object arguments,
      Upstream method) throws Throwable {
    // the agent's order: the short way first (RuleCache#frontHit), then the full decision; like the agent's
    // dispatcher, a fault of the short way is dropped here and met (and reported) again in begin()
    Object hit;
    try {
      hit = rule.frontHit(key, refresh);
    } catch (RuntimeException | Error internal) {
      hit = null;
    }
    if (hit != null) {
      return hit;
    }
    Object r = rule.begin(key, refresh, receiver, arguments);
    if (r == null) {
      return method.call(receiver, arguments);
    }
    if (r instanceof Load) {
      Object v = null;
      Throwable t = null;
      try {
        v = method.call(receiver, arguments);
      } catch (Throwable x) {
        t = x;
      }
      Object o = rule.complete((Load) r, v, t);
      if (o == RuleCache.AS_CALLED) {
        if (t != null) {
          throw t;
        }
        return v;
      }
      return o == RuleCache.NULL_VALUE ? null : o;
    }
    return r == RuleCache.NULL_VALUE ? null : r;
  }
}
