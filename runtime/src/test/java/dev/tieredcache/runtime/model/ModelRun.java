package dev.tieredcache.runtime.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * One sequence of steps played on the model and on the real runtime side by side; the state of a jqwik action
 * chain. Every step compares what each caller got, how often the upstream was called in all, and how many
 * background refreshes wait; the first difference fails the run with the steps so far and the difference.
 */
final class ModelRun implements AutoCloseable {

  /** How far "Redis comes back" moves the clock: past the circuit breaker's longest open period (30 s). */
  static final long REDIS_BACK_ADVANCE_MS = 31_000;

  final Setting setting;
  private final CallModel model;
  private final LiveRuntime live;
  private final List<String> log = new ArrayList<>();
  /** Every value handed to a caller so far (with copy-on-read, each must be a new instance). */
  private final Set<Object> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The value the last caller got, which a "caller changes what it got" step changes. */
  private Object lastValue;
  private final List<String> differences = new ArrayList<>();
  private final StringBuilder happened = new StringBuilder();

  ModelRun(Setting setting, LiveRuntime live) {
    this.setting = setting;
    this.live = live;
    this.model = new CallModel(setting, live.clock.millis());
  }

  // ---- steps ----------------------------------------------------------------------------------------------------

  void call(String key, boolean viaProxy, boolean secondCaller) {
    String step = "call " + key + (viaProxy ? " through the proxy" : "")
        + (secondCaller ? " (a second caller arrives while it loads)" : "");
    Outcome expected = model.call(key, secondCaller);
    Outcome expectedSecond = secondCaller ? model.secondCaller() : null;
    LiveRuntime.Calls actual = live.call(key, viaProxy, secondCaller);
    compare("the caller", expected, actual.first);
    if (secondCaller) {
      compareSecond(expectedSecond, actual.second);
    }
    lastValue = actual.first.value;
    finish(step);
  }

  void runBackground(boolean all) {
    String step = all ? "background work runs (every queued refresh)" : "one background refresh runs";
    if (all) {
      model.runAllRefreshes();
      live.runAllRefreshes();
    } else {
      model.runOneRefresh(false);
      live.runOneRefresh(null);
    }
    finish(step);
  }

  void runBackgroundWithSecondCaller() {
    String key = model.oldestQueuedKey();
    String step = "one background refresh runs (a second caller of its key arrives while it loads)";
    model.runOneRefresh(key != null);
    Outcome expectedSecond = key != null ? model.secondCaller() : null;
    LiveRuntime.Calls actual = live.runOneRefresh(key);
    compareSecond(expectedSecond, actual.second);
    finish(step);
  }

  void timePasses(long millis) {
    String step = "time passes: +" + Setting.ms(millis);
    advance(beforeTimePasses(() -> millis));
    finish(step);
  }

  void timeToLimit(String key, CallModel.Limit limit, long offset) {
    String step = "time moves to " + key + "'s " + limitName(limit) + (offset == 0 ? "" : offset > 0 ? " +1ms"
        : " -1ms");
    advance(beforeTimePasses(() -> {
      long at = model.limit(key, limit);
      long by = at < 0 ? 1 : at + offset - model.now();
      return by <= 0 ? 1 : by;
    }));
    finish(step);
  }

  void upstreamChanges(String key, UpstreamChange change) {
    Source before = model.upstream(key);
    Source after;
    switch (change) {
      case NEW_VALUE:
        after = before.newValue();
        break;
      case THROWS:
        after = before.throwing();
        break;
      case RETURNS_NULL:
        after = before.returningNull();
        break;
      default:
        after = before.recovered();
        break;
    }
    model.upstream(key, after);
    live.upstream(key, after);
    finish("upstream of " + key + " now " + after);
  }

  /** {@code lateDelete}: Redis still holds the evicted entry when the evict returns (see {@link LiveRuntime}). */
  void evict(String key, boolean lateDelete) {
    model.evict(key);
    live.evict(key, lateDelete);
    finish("evict " + key + (lateDelete ? " (Redis applies the delete late)" : ""));
  }

  void evictAll(boolean lateDelete) {
    model.evictAll();
    live.evictAll(lateDelete);
    finish("evict all" + (lateDelete ? " (Redis applies the deletes late)" : ""));
  }

  void remoteEvict(String key) {
    model.evict(key);
    live.remoteEvict(key);
    finish("another instance evicts " + key);
  }

  void remoteClear() {
    model.evictAll();
    live.remoteClear();
    finish("another instance evicts all");
  }

  void callerChangesWhatItGot() {
    String step = "the last caller changes the list it got";
    if (lastValue instanceof List) {
      @SuppressWarnings("unchecked")
      List<String> list = (List<String>) lastValue;
      list.add("changed by its caller");
      list.set(0, "?");
    } else {
      happened("it got no list");
    }
    finish(step);
  }

  boolean redisUp() {
    return model.redisUp();
  }

  void redisGoesAway() {
    model.redisGone();
    live.redisGone();
    finish("Redis goes away (redis-server killed)");
  }

  void redisComesBack() {
    String step = "Redis comes back (restarted empty; +" + Setting.ms(REDIS_BACK_ADVANCE_MS)
        + " so the circuit breaker probes it)";
    beforeTimePasses(() -> REDIS_BACK_ADVANCE_MS);
    model.advance(REDIS_BACK_ADVANCE_MS);
    model.redisBack();
    live.redisBack(REDIS_BACK_ADVANCE_MS);
    finish(step);
  }

  @Override
  public void close() {
    live.close();
  }

  @Override
  public String toString() {
    return "run of " + setting;
  }

  // ---- comparison -----------------------------------------------------------------------------------------------

  /**
   * Runs the queued refreshes before the clock moves by {@code by} when the setting says so (refreshes run before
   * time passes). Returns how far to move the clock (asked again after).
   */
  private long beforeTimePasses(java.util.function.LongSupplier by) {
    long millis = by.getAsLong();
    if (setting.pool == Setting.Pool.PROMPT && model.queuedRefreshes() > 0) {
      model.runAllRefreshes();
      live.runAllRefreshes();
      happened("queued refreshes ran first");
      millis = by.getAsLong();
    }
    return millis;
  }

  private void advance(long millis) {
    model.advance(millis);
    live.advance(millis);
    happened("+" + Setting.ms(millis));
  }

  private void compare(String who, Outcome expected, LiveRuntime.Result actual) {
    happened(expected.toString());
    if (!expected.matches(actual.value, actual.error)) {
      differences.add(who + " expected " + expected + ", got " + actual);
    }
    if (actual.value != null && setting.copyOnRead && !handedOut.add(actual.value)) {
      differences.add(who + " got an instance that an earlier caller got too (copy-on-read: each caller gets its"
          + " own copy)");
    } else if (actual.value != null) {
      handedOut.add(actual.value);
    }
  }

  private void compareSecond(Outcome expected, LiveRuntime.Result actual) {
    if (expected == null && actual == null) {
      happened("no upstream call, so no second caller");
      return;
    }
    if (expected == null || actual == null) {
      differences.add("second caller: expected " + (expected == null ? "none (no upstream call)" : expected)
          + ", got " + (actual == null ? "none (no upstream call)" : actual));
      return;
    }
    compare("the second caller", expected, actual);
  }

  private void finish(String step) {
    live.flush();
    String notes = model.takeNotes();
    if (!notes.isEmpty()) {
      happened(notes);
    }
    if (model.upstreamCalls() != live.upstreamCalls()) {
      differences.add("upstream calls in all: expected " + model.upstreamCalls() + ", got " + live.upstreamCalls());
    }
    if (model.queuedRefreshes() != live.queuedRefreshes()) {
      differences.add("queued background refreshes: expected " + model.queuedRefreshes() + ", got "
          + live.queuedRefreshes());
    }
    String line = (log.size() + 1) + ". " + step + (happened.length() == 0 ? "" : "  ->  " + happened);
    happened.setLength(0);
    if (!differences.isEmpty()) {
      StringBuilder message = new StringBuilder("the runtime and the model of SPEC §4 disagree at step ")
          .append(log.size() + 1).append(": ").append(step).append('\n');
      for (String d : differences) {
        message.append("  ").append(d).append('\n');
      }
      message.append("setting: ").append(setting).append('\n').append("steps (model's view):\n");
      for (String earlier : log) {
        message.append("  ").append(earlier).append('\n');
      }
      message.append("  ").append(line).append("   <== differs");
      differences.clear();
      throw new AssertionError(message.toString());
    }
    log.add(line);
  }

  private void happened(String text) {
    if (happened.length() > 0) {
      happened.append("; ");
    }
    happened.append(text);
  }

  private static String limitName(CallModel.Limit limit) {
    switch (limit) {
      case FRESH:
        return "fresh limit";
      case REVALIDATE:
        return "stale-while-revalidate limit";
      case STALE:
        return "stale limit (missing from then on)";
      default:
        return "error-backoff end";
    }
  }

  /** How a step changes the original method of a key. */
  enum UpstreamChange { NEW_VALUE, THROWS, RETURNS_NULL, RECOVERS }
}
