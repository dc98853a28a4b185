package dev.tieredcache.runtime.combinations;

import dev.tieredcache.runtime.BatchUpstream;
import dev.tieredcache.runtime.RuleCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A batch method of a test (SPEC §3 "Batch rules") over the rule of a single-element {@link Method}: called with
 * ids, it answers with the value of each id it finds. Its body is scripted and every call's ids are recorded. An id
 * is its own key, as a single-element rule with {@code key: "{0}"} renders it.
 */
final class BatchMethod implements BatchUpstream {

  /** What one call of the method does; {@code n} counts from 1. Returns the value of each id found. */
  @FunctionalInterface
  interface Body {
    Map<String, Object> run(int n, List<Object> ids) throws Throwable;
  }

  private final RuleCache rule;
  private final Class<?> valueType;
  private final List<List<Object>> calls = new CopyOnWriteArrayList<>();
  private volatile Body body = (n, ids) -> {
    Map<String, Object> found = new LinkedHashMap<>();
    for (Object id : ids) {
      found.put((String) id, id + "#" + n);
    }
    return found;
  };
  private volatile BiFunction<Object, Object, String[]> tags = (id, value) -> null;
  private volatile int plainCalls;

  BatchMethod(RuleCache rule, Class<?> valueType) {
    this.rule = rule;
    this.valueType = valueType;
  }

  BatchMethod behave(Body b) {
    this.body = b;
    return this;
  }

  BatchMethod tagged(BiFunction<Object, Object, String[]> t) {
    this.tags = t;
    return this;
  }

  /**
   * A batch call of {@code ids}, as the agent makes it: the value of each id in order, {@code null} for one not
   * found; a call the cache declines runs the method with every id, uncached.
   */
  List<Object> call(String... ids) throws Throwable {
    Object[] values = rule.getAll(ids.clone(), ids.clone(), this, null);
    if (values == null) {
      plainCalls++;
      Map<String, Object> found = upstream(List.of((Object[]) ids));
      List<Object> all = new ArrayList<>();
      for (String id : ids) {
        all.add(found.get(id));
      }
      return all;
    }
    return java.util.Arrays.asList(values);
  }

  /** {@link #call} for a {@code Callable} on another thread. */
  List<Object> callFromTask(String... ids) throws Exception {
    try {
      return call(ids);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new Exception(t);
    }
  }

  @Override
  public Map<String, Object> load(Object receiver, List<Object> ids) throws Throwable {
    return upstream(ids);
  }

  private Map<String, Object> upstream(List<Object> ids) throws Throwable {
    calls.add(List.copyOf(ids));
    return body.run(calls.size(), ids);
  }

  @Override
  public Class<?> valueType() {
    return valueType;
  }

  @Override
  public String[] tags(Object id, Object value) {
    return tags.apply(id, value);
  }

  /** The ids of each call of the method, in call order. */
  List<List<Object>> calls() {
    return Collections.unmodifiableList(calls);
  }

  /** How many batch calls the cache declined (ran uncached). */
  int plainCalls() {
    return plainCalls;
  }
}
