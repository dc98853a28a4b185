package dev.tieredcache.agent.instrument;

import dev.tieredcache.agent.rules.KeyTemplate;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;

/** One instrumented method of an evict rule: which rule it evicts, and the key (or all keys), or which tag. */
final class EvictSite {

  private final RuleCache target;
  private final KeyTemplate key;
  /** For an evict by tag: the cache whose rules carry the tag, and the tag's template; else {@code null}. */
  private final TieredCache tagged;
  private final KeyTemplate tag;

  /** {@code key} is {@code null} to evict every key of the target rule. */
  EvictSite(RuleCache target, KeyTemplate key) {
    this.target = target;
    this.key = key;
    this.tagged = null;
    this.tag = null;
  }

  /** An evict of the tag {@code tag} renders, in every rule of {@code cache} (SPEC §3 "Tags"). */
  EvictSite(TieredCache cache, KeyTemplate tag) {
    this.target = null;
    this.key = null;
    this.tagged = cache;
    this.tag = tag;
  }

  void evict(Object[] arguments) {
    if (tag != null) {
      tagged.evictTag(tag.render(arguments));
    } else if (key == null) {
      target.evictAll();
    } else {
      target.evict(key.render(arguments));
    }
  }

  @Override
  public String toString() {
    return tag != null ? "evict tag " + tag : "evict " + target.name();
  }
}
