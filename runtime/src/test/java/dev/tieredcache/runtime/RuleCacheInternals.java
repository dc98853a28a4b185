package dev.tieredcache.runtime;

import dev.tieredcache.runtime.backplane.BackplaneMessage;
import java.util.concurrent.Executor;

/**
 * The package-private parts of {@link RuleCache} that tests in other packages (the model-checked concurrency tests)
 * reach: building one rule without a {@link TieredCache} and its threads, and applying a backplane message.
 */
public final class RuleCacheInternals {

  private RuleCacheInternals() {}

  /** A rule on {@code clock} without Redis or backplane, whose background refreshes go to {@code refreshes}. */
  public static RuleCache memoryRule(RulePolicy policy, CacheClock clock, Executor refreshes) {
    return new RuleCache(policy, clock, new RefreshPool(refreshes), null, null);
  }

  /** What the backplane does when another instance's message for this rule arrives. */
  public static void applyRemote(RuleCache rule, BackplaneMessage.Entry change) {
    rule.applyRemote(change);
  }
}
