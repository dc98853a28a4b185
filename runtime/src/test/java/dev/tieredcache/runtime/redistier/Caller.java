package dev.tieredcache.runtime.redistier;

import dev.tieredcache.runtime.CallProtocol;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.Upstream;

/**
 * Calls a one-argument method through a {@link RuleCache} exactly as the agent's advice does: {@code begin}, then
 * a plain call, a load reported with {@code complete}, or the served value. A background refresh calls the
 * instrumented method again (this caller), so it goes through {@code begin} and its bypass like the agent's.
 */
final class Caller {

  private final RuleCache rule;
  private final CountedMethod method;
  private final Upstream refresh = (receiver, argument) -> call((String) argument);

  Caller(RuleCache rule, CountedMethod method) {
    this.rule = rule;
    this.method = method;
  }

  RuleCache rule() {
    return rule;
  }

  /** One call of the method with {@code key} as its argument (and cache key). */
  Object call(String key) throws Throwable {
    return CallProtocol.call(rule, key, refresh, null, key, method);
  }

  /** Only the first step of a call: what {@code begin} answers (a value, a {@link Load}, or null). */
  Object begin(String key) {
    return rule.begin(key, refresh, null, key);
  }

  /** Finishes {@code load} as if the upstream had thrown, so that nothing is stored anywhere. */
  void abandon(Load load) {
    rule.complete(load, null, new IllegalStateException("load abandoned by the test"));
  }
}
