package dev.tieredcache.runtime.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC §4 for one rule in one instance, as a plain reference model: what every call gets and how often the original
 * method (the upstream) is called. Nothing of the runtime is used; the model keeps a map of key to entry (value,
 * written at, fresh until, stale until), each key's failure history, the refreshes in flight, and a clock.
 *
 * <p>The rules, each a reading of SPEC §4 (jitter is 0, refresh-ahead off):
 * <ul>
 *   <li>A value written at W is fresh until W+ttl, then stale until W+ttl+max(swr, sie), then missing.
 *   <li>Fresh: the value. Stale within stale-while-revalidate: the value at once, and one background refresh per
 *       key (none while one is in flight or while the key backs off). Stale past it (within stale-if-error only):
 *       loaded on the caller's thread; the stale value if the load throws. Missing: loaded; the exception if it
 *       throws.
 *   <li>Coalescing: a caller that would load while a load or refresh of the key is in flight joins it. A joiner
 *       that holds a value it may serve at once (fresh, or stale within stale-while-revalidate) serves it. One that
 *       waits gets the load's value, or its exception, or the stale value if the load threw and one is usable. A
 *       refresh that is only queued never finishes during a call: its joiners wait past load-timeout and get the
 *       stale value, or call the upstream themselves when there is none (their result is stored, nobody joins it).
 *   <li>Error-backoff: a failed load or refresh of a stale value puts the key's next refresh off by error-backoff,
 *       doubling with each further failure of the same value, capped at 5 minutes; the stale value is served
 *       meanwhile. A value written, or an evict, ends the history.
 *   <li>Exceptions are never cached. A null result is a value with cache-nulls; without it, it removes the key.
 *   <li>Evict (of a key, of all, here or from another instance): the key is missing, its failure history gone, and
 *       a load or refresh of it in flight will not keep its result (SPEC: no later call gets an evicted value);
 *       callers no longer join it. Such a refresh still calls the upstream when it runs (SPEC leaves this open;
 *       the runtime does), unless a newer value is there by then.
 *   <li>A refresh, when it runs, first looks whether a newer value appeared meanwhile (SPEC: "checked against
 *       Redis before the upstream is called"): if that one is fresh or backing off, nothing is called; otherwise it
 *       refreshes that one.
 *   <li>Redis: with a memory tier, Redis only ever holds what memory holds (one instance), so an outage changes
 *       nothing a caller sees (SPEC §5: calls go on with the memory tier and the upstream). With {@code tiers:
 *       [redis]}, a killed Redis loses every value; until it is back every call misses and nothing is kept.
 * </ul>
 */
final class CallModel {

  private static final long MAX_BACKOFF_MS = 5 * 60_000;

  private final Setting setting;
  private final long ttl;
  private final long swr;
  private final long staleWindow;
  private long now;
  private boolean redisUp = true;
  private int upstreamCalls;
  /** The value each key holds, as this instance sees it. */
  private final Map<String, Entry> entries = new HashMap<>();
  /** The failure history of the value each key holds. */
  private final Map<String, Failures> failures = new HashMap<>();
  /** What the original method does per key. */
  private final Map<String, Source> sources = new HashMap<>();
  /** Background refreshes queued and not run yet, oldest first. */
  private final List<Flight> queued = new ArrayList<>();
  /** Loads and refreshes whose upstream call is under way (only while a second caller arrives). */
  private final List<Flight> running = new ArrayList<>();
  private Outcome secondCaller;
  private final StringBuilder notes = new StringBuilder();

  CallModel(Setting setting, long now) {
    this.setting = setting;
    this.now = now;
    this.ttl = setting.windows.ttlMs;
    this.swr = setting.windows.swrMs;
    this.staleWindow = Math.max(setting.windows.swrMs, setting.windows.sieMs);
  }

  // ---- what the steps do --------------------------------------------------------------------------------------

  /**
   * One call of {@code key}. With {@code secondCaller}, another caller of the key arrives while this call's
   * upstream call runs (see {@link #secondCaller()}).
   */
  Outcome call(String key, boolean secondCaller) {
    secondCaller(null);
    Object decided = decide(key, secondCaller);
    if (decided instanceof Join) {
      throw new IllegalStateException("model: a caller joined a load that runs, with no load running");
    }
    return (Outcome) decided;
  }

  /** What the second caller of the last step got; null when none arrived (the step called no upstream). */
  Outcome secondCaller() {
    return secondCaller;
  }

  /** Runs the oldest queued background refresh; false if none is queued. */
  boolean runOneRefresh(boolean secondCaller) {
    secondCaller(null);
    if (queued.isEmpty()) {
      note("no background work queued");
      return false;
    }
    runRefresh(queued.get(0), secondCaller);
    return true;
  }

  /** Runs the queued background refreshes, oldest first, until none is left. */
  void runAllRefreshes() {
    while (!queued.isEmpty()) {
      runRefresh(queued.get(0), false);
    }
  }

  /** How many background refreshes are queued. */
  int queuedRefreshes() {
    return queued.size();
  }

  /** The key of the oldest queued refresh, or null. */
  String oldestQueuedKey() {
    return queued.isEmpty() ? null : queued.get(0).key;
  }

  void advance(long millis) {
    now += millis;
  }

  long now() {
    return now;
  }

  void upstream(String key, Source source) {
    sources.put(key, source);
  }

  Source upstream(String key) {
    return sources.computeIfAbsent(key, k -> Source.initial());
  }

  int upstreamCalls() {
    return upstreamCalls;
  }

  void evict(String key) {
    entries.remove(key);
    failures.remove(key);
    for (Flight f : flights()) {
      if (f.key.equals(key)) {
        f.cancelled = true;
      }
    }
  }

  void evictAll() {
    entries.clear();
    failures.clear();
    for (Flight f : flights()) {
      f.cancelled = true;
    }
  }

  /** Redis is killed: with {@code tiers: [redis]} every value is gone for good (a restarted Redis is empty). */
  void redisGone() {
    redisUp = false;
    if (setting.tiers == Setting.Tiers.REDIS) {
      entries.clear();
      failures.clear();
    }
  }

  void redisBack() {
    redisUp = true;
  }

  boolean redisUp() {
    return redisUp;
  }

  /** What happened in the model since the last call of this method, for the step log. */
  String takeNotes() {
    String text = notes.toString();
    notes.setLength(0);
    return text;
  }

  /** The limits of {@code key}'s value that a step may move the clock to. */
  enum Limit { FRESH, REVALIDATE, STALE, BACKOFF }

  /** The time {@code limit} of the value {@code key} holds, or -1 if it holds none (or is not backing off). */
  long limit(String key, Limit limit) {
    Entry e = view(key);
    if (e == null) {
      return -1;
    }
    switch (limit) {
      case FRESH:
        return e.freshUntil;
      case REVALIDATE:
        return Math.min(e.freshUntil + swr, e.staleUntil);
      case STALE:
        return e.staleUntil;
      default:
        Failures f = failures.get(key);
        return f == null ? -1 : f.retryAt;
    }
  }

  // ---- the decision of SPEC §4 --------------------------------------------------------------------------------

  /** An {@link Outcome}, or a {@link Join} of a load that runs now (for a second caller). */
  private Object decide(String key, boolean secondCaller) {
    Entry view = view(key);
    Flight flight = inFlight(key);
    if (view != null) {
      if (now < view.freshUntil) {
        return served(view, "fresh");
      }
      boolean backingOff = backingOff(key);
      if (now < view.freshUntil + swr) {
        if (backingOff) {
          return served(view, "stale within stale-while-revalidate, backing off: no refresh");
        }
        if (flight != null) {
          return served(view, "stale within stale-while-revalidate, a refresh is in flight already");
        }
        queued.add(new Flight(key, view));
        note("refresh of " + key + " queued");
        return served(view, "stale within stale-while-revalidate: served at once, refresh queued");
      }
      if (backingOff) {
        return served(view, "stale past stale-while-revalidate, backing off after a failed refresh");
      }
      if (flight != null) {
        return join(key, flight, view);
      }
      return load(key, view, true, secondCaller);
    }
    if (flight != null) {
      return join(key, flight, flight.fallback);
    }
    return load(key, null, true, secondCaller);
  }

  private Object join(String key, Flight flight, Entry stale) {
    if (stale != null && servesAtOnce(stale)) {
      return served(stale, "joins the " + flight.what() + " in flight but may serve this value at once");
    }
    if (flight.running) {
      return new Join(flight, stale);
    }
    if (setting.pool == Setting.Pool.PROMPT) {
      throw new IllegalStateException("model: with refreshes run before time passes, no caller should wait on a"
          + " queued refresh (" + key + ")");
    }
    if (usable(stale)) {
      return served(stale, "waited past load-timeout on the queued refresh: the stale value");
    }
    return load(key, stale, false, false);
  }

  /**
   * A load on the caller's thread. {@code claimed}: other callers may join it (false for a caller that gave up
   * waiting on a queued refresh).
   */
  private Outcome load(String key, Entry fallback, boolean claimed, boolean secondCaller) {
    Flight flight = new Flight(key, fallback);
    flight.running = true;
    flight.load = true;
    if (claimed) {
      running.add(flight);
    }
    int call = ++upstreamCalls;
    note("upstream call #" + call + " (" + key + ", load)");
    Object second = secondCaller ? decide(key, false) : null;
    running.remove(flight);
    Source source = upstream(key);
    Outcome mine;
    if (source.kind != Source.Kind.THROWS) {
      List<String> value = source.kind == Source.Kind.VALUE ? source.value(key) : null;
      if (!flight.cancelled) {
        store(key, value);
      }
      mine = Outcome.of(value, !claimed ? "waited past load-timeout on the queued refresh, nothing usable: loaded"
          + " itself" : fallback == null ? "missing: loaded" : "stale past stale-while-revalidate: loaded");
    } else if (usable(fallback)) {
      recordFailure(key, fallback);
      mine = served(fallback, "the load threw: the stale value (stale-if-error)");
    } else {
      mine = Outcome.threw(call, "missing, the load threw: its exception");
    }
    if (secondCaller) {
      secondCaller(resolve(second, flight, source, call));
    }
    return mine;
  }

  private void runRefresh(Flight refresh, boolean secondCaller) {
    queued.remove(refresh);
    String key = refresh.key;
    Entry current = view(key);
    Entry fallback = refresh.fallback;
    if (current != null && current.writtenAt > fallback.writtenAt) {
      if (now < current.freshUntil || backingOff(key)) {
        note("refresh of " + key + " finds a newer value, " + (now < current.freshUntil ? "fresh" : "backing off")
            + ": nothing to call");
        return;
      }
      fallback = current;
    }
    refresh.fallback = fallback;
    refresh.running = true;
    running.add(refresh);
    int call = ++upstreamCalls;
    note("upstream call #" + call + " (" + key + ", background refresh" + (refresh.cancelled ? ", evicted meanwhile"
        : "") + ")");
    Object second = secondCaller ? decide(key, false) : null;
    running.remove(refresh);
    refresh.running = false;
    Source source = upstream(key);
    if (source.kind != Source.Kind.THROWS) {
      if (!refresh.cancelled) {
        store(key, source.kind == Source.Kind.VALUE ? source.value(key) : null);
      }
    } else if (usable(fallback)) {
      recordFailure(key, fallback);
    }
    if (secondCaller) {
      secondCaller(resolve(second, refresh, source, call));
    }
  }

  /** What a second caller that decided {@code decided} while {@code flight} ran gets once it has ended. */
  private Outcome resolve(Object decided, Flight flight, Source source, int call) {
    if (!(decided instanceof Join)) {
      return (Outcome) decided;
    }
    Join join = (Join) decided;
    if (join.flight != flight) {
      throw new IllegalStateException("model: a second caller joined another load than the one running");
    }
    if (source.kind != Source.Kind.THROWS) {
      List<String> value = source.kind == Source.Kind.VALUE ? source.value(flight.key) : null;
      return Outcome.of(value, "waited for the " + flight.what() + " in flight: its value");
    }
    if (usable(join.stale)) {
      return served(join.stale, "waited for the " + flight.what() + " in flight, which threw: the stale value");
    }
    return Outcome.threw(call, "waited for the " + flight.what() + " in flight, which threw: the same exception");
  }

  private void store(String key, List<String> value) {
    failures.remove(key);
    if (value == null && !setting.cacheNulls) {
      entries.remove(key);
      note(key + ": null not cached, key removed");
      return;
    }
    if (setting.tiers == Setting.Tiers.REDIS && !redisUp) {
      entries.remove(key);
      note(key + ": not kept, Redis is down");
      return;
    }
    entries.put(key, new Entry(value, now, now + ttl, now + ttl + staleWindow));
  }

  private void recordFailure(String key, Entry failed) {
    Entry current = view(key);
    if (current == null || current.writtenAt != failed.writtenAt) {
      return; // the failure concerns a value this instance no longer holds
    }
    Failures before = failures.get(key);
    int count = before == null ? 0 : before.count;
    long wait = Math.min(MAX_BACKOFF_MS, setting.windows.errorBackoffMs << Math.min(count, 20));
    failures.put(key, new Failures(count + 1, now + wait));
    note(key + ": failure " + (count + 1) + ", no refresh before +" + Setting.ms(wait));
  }

  /** The value {@code key} holds now, or null when it is missing (or unreachable: Redis-only with Redis down). */
  private Entry view(String key) {
    if (setting.tiers == Setting.Tiers.REDIS && !redisUp) {
      return null;
    }
    Entry e = entries.get(key);
    if (e != null && now >= e.staleUntil) {
      entries.remove(key);
      failures.remove(key);
      return null;
    }
    return e;
  }

  private boolean backingOff(String key) {
    Failures f = failures.get(key);
    return f != null && now < f.retryAt;
  }

  private boolean servesAtOnce(Entry e) {
    return now < e.staleUntil && now < e.freshUntil + swr;
  }

  private boolean usable(Entry e) {
    return e != null && now < e.staleUntil;
  }

  /** The load or refresh of {@code key} that callers join, if any (an evicted one no longer counts). */
  private Flight inFlight(String key) {
    for (Flight f : flights()) {
      if (f.key.equals(key) && !f.cancelled) {
        return f;
      }
    }
    return null;
  }

  private List<Flight> flights() {
    List<Flight> all = new ArrayList<>(running);
    all.addAll(queued);
    return all;
  }

  private Outcome served(Entry e, String why) {
    return Outcome.of(e.value, why);
  }

  private void secondCaller(Outcome outcome) {
    secondCaller = outcome;
  }

  private void note(String text) {
    if (notes.length() > 0) {
      notes.append("; ");
    }
    notes.append(text);
  }

  private static final class Entry {
    final List<String> value;
    final long writtenAt;
    final long freshUntil;
    final long staleUntil;

    Entry(List<String> value, long writtenAt, long freshUntil, long staleUntil) {
      this.value = value;
      this.writtenAt = writtenAt;
      this.freshUntil = freshUntil;
      this.staleUntil = staleUntil;
    }
  }

  private static final class Failures {
    final int count;
    final long retryAt;

    Failures(int count, long retryAt) {
      this.count = count;
      this.retryAt = retryAt;
    }
  }

  /** A load (on a caller's thread) or a background refresh of one key. */
  private static final class Flight {
    final String key;
    /** The stale value it replaces, which its joiners fall back to; null for a missing key. */
    Entry fallback;
    boolean running;
    boolean load;
    /** Evicted while in flight: its result is not kept, and callers no longer join it. */
    boolean cancelled;

    Flight(String key, Entry fallback) {
      this.key = key;
      this.fallback = fallback;
    }

    String what() {
      return load ? "load" : "refresh";
    }
  }

  /** A second caller that waits for the load or refresh {@code flight}, with {@code stale} to fall back to. */
  private static final class Join {
    final Flight flight;
    final Entry stale;

    Join(Flight flight, Entry stale) {
      this.flight = flight;
      this.stale = stale;
    }
  }
}
