package dev.tieredcache.agent.instrument;

import dev.tieredcache.agent.rules.KeyTemplate;
import dev.tieredcache.runtime.RuleCache;

/** One instrumented method of an evict rule: which rule it evicts, and the key (or all keys). */
final class EvictSite {

  private final RuleCache target;
  private final KeyTemplate key;

  /** {@code key} is {@code null} to evict every key of the target rule. */
  EvictSite(RuleCache target, KeyTemplate key) {
    this.target = target;
    this.key = key;
  }

  void evict(Object[] arguments) {
    if (key == null) {
      target.evictAll();
    } else {
      target.evict(key.render(arguments));
    }
  }

  @Override
  public String toString() {
    return "evict " + target.name();
  }
}
