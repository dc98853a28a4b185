package dev.tieredcache.runtime.combinations;

import dev.tieredcache.runtime.RulePolicy.TierKind;
import java.util.List;

/** The three {@code tiers:} settings of a rule; behaviour tests run against each. */
enum TierSetting {
  MEMORY(List.of(TierKind.MEMORY)),
  MEMORY_AND_REDIS(List.of(TierKind.MEMORY, TierKind.REDIS)),
  REDIS(List.of(TierKind.REDIS));

  final List<TierKind> kinds;

  TierSetting(List<TierKind> kinds) {
    this.kinds = kinds;
  }

  boolean usesRedis() {
    return kinds.contains(TierKind.REDIS);
  }
}
