package dev.tieredcache.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * One batch call (SPEC §3 "Batch rules"): each element decided on as a single call of its key would be, through the
 * single-element rule's cache. Fresh and stale-within-stale-while-revalidate elements are served; the stale ones are
 * refreshed in one background call; the missing ones (and those past stale-while-revalidate) are claimed in the
 * rule's coalescing, so no element is loaded twice at once in this instance by single and batch calls together,
 * and loaded in one call on the caller's thread; elements another caller is loading are waited for after that (so
 * two batch calls that each hold an element the other wants never wait for each other). Every claim ends on every
 * path.
 */
final class BatchLoad {

  private static final ThrottledLog INTERNAL_ERRORS = new ThrottledLog(LoggerFactory.getLogger(BatchLoad.class));

  private final RuleCache cache;
  private final String[] keys;
  private final Object[] ids;
  private final BatchUpstream upstream;
  private final Object receiver;

  BatchLoad(RuleCache cache, String[] keys, Object[] ids, BatchUpstream upstream, Object receiver) {
    this.cache = cache;
    this.keys = keys;
    this.ids = ids;
    this.upstream = upstream;
    this.receiver = receiver;
  }

  /** See {@link RuleCache#getAll}. Throws only what the batch method threw. */
  Object[] run() {
    int n = keys.length;
    Object[] answers = new Object[n];
    List<RuleCache.PendingRefresh> refreshes = new ArrayList<>();
    Upstream element = new ElementUpstream(upstream);
    boolean plain = false;
    try {
      for (int i = 0; i < n; i++) {
        Object answer = cache.beginElement(keys[i], new RuleCache.Call(element, receiver, ids[i], refreshes));
        if (answer == null) {
          plain = true;
          break;
        }
        answers[i] = answer;
      }
    } catch (Throwable internal) {
      INTERNAL_ERRORS.warn("begin", "rule '" + cache.name() + "': internal error in a batch call, calling it"
          + " uncached", internal);
      plain = true;
    }
    try {
      cache.refreshInBackground(refreshes, upstream, receiver);
    } catch (Throwable internal) {
      INTERNAL_ERRORS.warn("refresh", "rule '" + cache.name() + "': a batch refresh could not start", internal);
    }
    if (plain) {
      for (Object answer : answers) {
        if (answer instanceof Load) {
          cache.abandonLoad((Load) answer);
        }
      }
      return null;
    }
    if (loadClaimed(answers, Load.class) != null) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      if (answers[i] instanceof RuleCache.Join) {
        RuleCache.Join join = (RuleCache.Join) answers[i];
        Object value;
        try {
          value = cache.awaitJoined(join);
        } catch (Throwable internal) {
          INTERNAL_ERRORS.warn("join", "rule '" + cache.name() + "': internal error while a batch call waited",
              internal);
          value = null;
        }
        answers[i] = value != null ? value : cache.loadAfterWaiting(join);
      }
    }
    if (loadClaimed(answers, Load.class) != null) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      answers[i] = answers[i] == RuleCache.NULL_VALUE ? null : answers[i];
    }
    return answers;
  }

  /**
   * Loads the elements whose answer is a {@link Load}, in one call, and puts each one's value in its place. Returns
   * {@code null} when done, {@link Outcome#PLAIN} when the call must run uncached; rethrows the method's exception
   * when an element has no value (neither loaded nor stale).
   */
  private Outcome loadClaimed(Object[] answers, Class<Load> type) {
    List<Load> loads = new ArrayList<>();
    List<Object> loadIds = new ArrayList<>();
    List<Integer> where = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      if (type.isInstance(answers[i])) {
        loads.add((Load) answers[i]);
        loadIds.add(ids[i]);
        where.add(i);
      }
    }
    if (loads.isEmpty()) {
      return null;
    }
    Outcome outcome = loadAll(cache, loads, loadIds, upstream, receiver);
    if (outcome == Outcome.PLAIN) {
      // the other claimed elements, if any, were ended by loadAll; loads of the second round were not started
      return Outcome.PLAIN;
    }
    for (int j = 0; j < loads.size(); j++) {
      answers[where.get(j)] = outcome.values[j];
    }
    if (outcome.failure != null) {
      throw RuleCache.Rethrow.sneaky(outcome.failure);
    }
    return null;
  }

  /**
   * Makes {@code loads} (each already claimed and in its load scope) in one call of {@code upstream} with their
   * {@code ids}, and completes every one of them whatever happens. With the values for the callers: the method's own
   * value of each element, or on its failure the stale one; {@link Outcome#failure} is set when an element got none.
   */
  static Outcome loadAll(RuleCache cache, List<Load> loads, List<Object> ids, BatchUpstream upstream,
      Object receiver) {
    Map<String, Object> found = Collections.emptyMap();
    Throwable failed = null;
    try {
      found = upstream.load(receiver, Collections.unmodifiableList(ids));
      if (found == null) {
        found = Collections.emptyMap();
      }
    } catch (BatchUpstream.NotCallable internal) {
      for (Load load : loads) {
        cache.abandonLoad(load);
      }
      INTERNAL_ERRORS.warn("call", "rule '" + cache.name() + "': a batch call could not be made ("
          + internal.getMessage() + "); calling it uncached", internal.getCause());
      return Outcome.PLAIN;
    } catch (Throwable thrown) {
      failed = thrown;
    }
    Object[] values = new Object[loads.size()];
    boolean unanswered = false;
    for (int j = 0; j < loads.size(); j++) {
      Load load = loads.get(j);
      if (failed == null) {
        Object value = found.containsKey(load.key) ? found.get(load.key) : upstream.notFound();
        cache.complete(load, value, null);
        values[j] = value == null ? RuleCache.NULL_VALUE : value;
      } else {
        Object instead = cache.complete(load, null, failed);
        if (instead == RuleCache.AS_CALLED) {
          unanswered = true;
        } else {
          values[j] = instead;
        }
      }
    }
    return new Outcome(values, unanswered ? failed : null);
  }

  /** What {@link #loadAll} gives the caller. */
  static final class Outcome {
    static final Outcome PLAIN = new Outcome(null, null);

    final Object[] values;
    final Throwable failure;

    Outcome(Object[] values, Throwable failure) {
      this.values = values;
      this.failure = failure;
    }
  }

  /**
   * A batch element as the single-element rule's method: its value type and tags. A refresh or load of an element
   * alone (which the batch paths never make) calls the batch method with that one id.
   */
  private static final class ElementUpstream implements Upstream {
    private final BatchUpstream batch;

    ElementUpstream(BatchUpstream batch) {
      this.batch = batch;
    }

    @Override
    public Object call(Object receiver, Object id) throws Throwable {
      Map<String, Object> found = batch.load(receiver, List.of(id));
      return found == null || found.isEmpty() ? batch.notFound() : found.values().iterator().next();
    }

    @Override
    public Class<?> valueType() {
      return batch.valueType();
    }

    @Override
    public String[] tags(Object id, Object value) {
      return batch.tags(id, value);
    }
  }
}
