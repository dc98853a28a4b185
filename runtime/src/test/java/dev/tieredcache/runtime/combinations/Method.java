package dev.tieredcache.runtime.combinations;

import dev.tieredcache.runtime.CallProtocol;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.Upstream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cached method of a test: its body (the upstream) is scripted and counted; {@link #call} runs it the way the
 * agent's advice runs an instrumented method, and a background refresh calls the method again through the same
 * advice, as the agent's does. {@link #behindProxy} makes the call go through a proxy whose target is instrumented
 * by the same rule, like a Spring Data repository.
 */
class Method implements Upstream {

  /** What one upstream call does; {@code n} counts from 1. */
  @FunctionalInterface
  interface Body {
    Object run(int n, Object argument) throws Throwable;
  }

  private final RuleCache rule;
  private final Class<?> valueType;
  private final AtomicInteger calls = new AtomicInteger();
  private volatile Body body = (n, argument) -> "v" + n;
  private boolean proxied;
  private volatile java.util.function.BiFunction<Object, Object, String[]> tags = (argument, value) -> null;

  Method(RuleCache rule, Class<?> valueType) {
    this.rule = rule;
    this.valueType = valueType;
  }

  Method behave(Body b) {
    this.body = b;
    return this;
  }

  /** The tags of a value written for an argument (SPEC §3 "Tags"), as a rule's {@code tags:} renders them. */
  Method tagged(java.util.function.BiFunction<Object, Object, String[]> t) {
    this.tags = t;
    return this;
  }

  @Override
  public String[] tags(Object argument, Object value) {
    return tags.apply(argument, value);
  }

  /** Every call goes through a proxy method and then its target, both instrumented by the rule. */
  Method behindProxy() {
    this.proxied = true;
    return this;
  }

  /** A call with {@code key} as its argument and cache key. */
  Object call(String key) throws Throwable {
    Upstream target = proxied ? (receiver, argument) -> instrumented((String) argument, this::upstream) : this::upstream;
    return instrumented(key, target);
  }

  /** {@link #call(String)} for a {@code Callable} on another thread: the upstream's Throwable wrapped if need be. */
  Object callFromTask(String key) throws Exception {
    try {
      return call(key);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new Exception(t);
    }
  }

  private Object instrumented(String key, Upstream code) throws Throwable {
    return CallProtocol.call(rule, key, this, null, key, code);
  }

  private Object upstream(Object receiver, Object argument) throws Throwable {
    return body.run(calls.incrementAndGet(), argument);
  }

  /** A background refresh calls the instrumented method again. */
  @Override
  public Object call(Object receiver, Object argument) throws Throwable {
    return call((String) argument);
  }

  @Override
  public Class<?> valueType() {
    return valueType;
  }

  /** How many times the upstream body was entered. */
  int calls() {
    return calls.get();
  }
}
