package dev.tieredcache.runtime.concurrency;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.CallProtocol;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RuleCacheInternals;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.Upstream;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One memory-only rule with one key, built afresh for every interleaving the model checker runs: a hand-moved clock,
 * a {@link VersionedSource} as its method, and refreshes held until the test runs them. Calls go through
 * {@link CallProtocol}, as the agent's advice makes them; a background refresh calls the method through the cache
 * again, and so runs uncached inside its load's scope, as the agent's does.
 *
 * <p>Lincheck drives only the threads that the test starts, so the rule's parts that would start threads of their
 * own (a refresh pool, Caffeine's maintenance) are kept off: see {@link HeldRefreshes} and the surefire execution
 * of this package.
 */
final class RuleUnderTest {

  static final String KEY = "k";
  static final Duration TTL = Duration.ofSeconds(10);
  private static final long START = 1_700_000_000_000L;

  final VersionedSource source = new VersionedSource();
  final HeldRefreshes refreshes = new HeldRefreshes();
  final RuleCache rule;
  private final AtomicLong now = new AtomicLong(START);
  /** What a background refresh calls: the instrumented method again, as the agent's refresh does. */
  private final Upstream callSite = this::callThrough;

  private RuleUnderTest(RulePolicy.Builder policy) {
    this.rule = RuleCacheInternals.memoryRule(policy.name("r").ttl(TTL).jitter(0.0)
        .loadTimeout(Duration.ofMinutes(1)).tiers(List.of(RulePolicy.TierKind.MEMORY)).build(), now::get, refreshes);
  }

  /** A value is fresh for {@link #TTL}, then missing at once: a call after the ttl loads. */
  static RuleUnderTest withoutStaleWindow() {
    return new RuleUnderTest(RulePolicy.builder().staleWhileRevalidate(Duration.ZERO).staleIfError(Duration.ZERO));
  }

  /** A value is fresh for {@link #TTL}, then served stale for a minute while a background refresh runs. */
  static RuleUnderTest withStaleWhileRevalidate() {
    return new RuleUnderTest(RulePolicy.builder().staleWhileRevalidate(Duration.ofMinutes(1))
        .staleIfError(Duration.ZERO));
  }

  /** A call of the cached method for {@link #KEY}: what it returned, or what it threw. */
  Object call() {
    try {
      return callThrough(null, KEY);
    } catch (Throwable thrown) {
      return thrown;
    }
  }

  private Object callThrough(Object receiver, Object arguments) throws Throwable {
    return CallProtocol.call(rule, KEY, callSite, receiver, arguments, source);
  }

  void advance(Duration by) {
    now.addAndGet(by.toMillis());
  }

  long now() {
    return now.get();
  }

  /** Another instance's change of {@link #KEY}, as the backplane hands it to this rule. */
  void applyRemote(BackplaneMessage.Action action) {
    RuleCacheInternals.applyRemote(rule, new BackplaneMessage.Entry(action, now.get(), "r", KEY));
  }

  /** The value this instance holds for {@link #KEY}, or {@code null}. */
  Object held() {
    CacheEntry entry = rule.peek(KEY);
    return entry == null ? null : entry.value();
  }

  /**
   * Runs each step on a thread of its own, all at once, and waits for them; a step's assertion error is rethrown
   * here. Inside a model-checked test these are the threads whose interleavings the checker explores.
   */
  static void inParallel(Runnable... steps) {
    List<Throwable> failures = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (Runnable step : steps) {
      Thread thread = new Thread(() -> {
        try {
          step.run();
        } catch (Throwable t) {
          synchronized (failures) {
            failures.add(t);
          }
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for the test's threads", e);
      }
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        AssertionError first = failures.get(0) instanceof AssertionError
            ? (AssertionError) failures.get(0) : new AssertionError(failures.get(0));
        throw first;
      }
    }
  }
}
