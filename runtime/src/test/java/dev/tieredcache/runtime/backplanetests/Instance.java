package dev.tieredcache.runtime.backplanetests;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.CallProtocol;
import dev.tieredcache.runtime.EntryState;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.Upstream;
import dev.tieredcache.runtime.backplane.Backplane;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of the application: its own {@link TieredCache} (own subscriber connection, own instance id) with one
 * rule that reads the shared {@link ProductTable}. Reads follow the agent's call protocol: {@code begin}, then the
 * served value, a plain call, or a load reported with {@code complete}.
 */
final class Instance {

  final String name;
  final TieredCache cache;
  final RuleCache rule;
  private final ProductTable table;
  private final AtomicInteger loads = new AtomicInteger();
  private final Upstream upstream;

  Instance(String name, TieredCache cache, RuleCache rule, ProductTable table) {
    this.name = name;
    this.cache = cache;
    this.rule = rule;
    this.table = table;
    this.upstream = (receiver, arguments) -> {
      loads.incrementAndGet();
      return table.find((String) arguments);
    };
  }

  Backplane backplane() {
    return cache.backplane().orElseThrow(() -> new AssertionError(name + " runs without a backplane"));
  }

  /** A call of the cached method for {@code key}, as the instrumented application makes it. */
  String read(String key) {
    try {
      return (String) CallProtocol.call(rule, key, upstream, null, key, upstream);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable impossible) {
      throw new AssertionError(impossible);
    }
  }

  /** Starts a call that loads {@code key} and reads the table now; {@link PendingLoad#finish} completes it. */
  PendingLoad startLoad(String key) {
    Object answer = rule.begin(key, upstream, null, key);
    if (!(answer instanceof Load)) {
      throw new AssertionError(name + ": expected a load of " + key + ", got " + answer);
    }
    return new PendingLoad((Load) answer, callUpstream(key));
  }

  /** Upstream calls so far (loads on callers' threads and background refreshes). */
  int loads() {
    return loads.get();
  }

  /** The memory copy of {@code key}, or null. */
  CacheEntry held(String key) {
    return rule.peek(key);
  }

  boolean holdsFresh(String key) {
    CacheEntry entry = rule.peek(key);
    return entry != null && entry.state(cache.clock().millis()) == EntryState.FRESH;
  }

  private String callUpstream(String key) {
    try {
      return (String) upstream.call(null, key);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable impossible) {
      throw new AssertionError(impossible);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  /** A load whose upstream call has returned but whose outcome is not reported yet. */
  final class PendingLoad {
    private final Load ticket;
    final String value;

    PendingLoad(Load ticket, String value) {
      this.ticket = ticket;
      this.value = value;
    }

    void finish() {
      rule.complete(ticket, value, null);
    }
  }
}
