package dev.tieredcache.runtime;

/**
 * A thread of the background refresh pool. While it calls a rule's upstream for a refresh, the first call that
 * reaches that rule on this thread is the refresh itself and must bypass the cache; nested calls of other rules
 * are cached as usual.
 */
final class RefreshWorker extends Thread {

  private RuleCache bypass;

  RefreshWorker(Runnable task, String name) {
    super(task, name);
    setDaemon(true);
  }

  void bypassNextCallOf(RuleCache rule) {
    bypass = rule;
  }

  /** True once, for the first call of {@code rule} after {@link #bypassNextCallOf}. */
  boolean takeBypass(RuleCache rule) {
    if (bypass == rule) {
      bypass = null;
      return true;
    }
    return false;
  }
}
