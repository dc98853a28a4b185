package dev.tieredcache.runtime.combinations;

import dev.tieredcache.runtime.CallProtocol;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.Upstream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cached method of a test that returns a {@code CompletableFuture}: each upstream call returns a new future that
 * the test completes when it chooses ({@link #upstream(int)}), unless {@link #completing} makes the calls return
 * futures that are already complete. {@link #call} runs it the way the agent's advice runs an instrumented method;
 * a background refresh calls it again through the same advice.
 */
final class FutureMethod implements Upstream {

  /** What the future of the n-th upstream call (n counts from 1) is completed with, at once. */
  @FunctionalInterface
  interface Outcome {
    CompletableFuture<Object> of(int n);
  }

  private final RuleCache rule;
  private final Class<?> valueType;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<CompletableFuture<Object>> returned = new CopyOnWriteArrayList<>();
  private volatile Outcome outcome = n -> new CompletableFuture<>();

  FutureMethod(RuleCache rule, Class<?> valueType) {
    this.rule = rule;
    this.valueType = valueType;
  }

  /** From now on every upstream call returns a future already completed with "v" + n. */
  FutureMethod completing() {
    return completing(n -> CompletableFuture.<Object>completedFuture("v" + n));
  }

  /** From now on the upstream's futures are the ones {@code o} gives. */
  FutureMethod completing(Outcome o) {
    this.outcome = o;
    return this;
  }

  /** From now on every upstream call returns a pending future, for the test to complete. */
  FutureMethod pending() {
    return completing(n -> new CompletableFuture<>());
  }

  /** A call with {@code key} as its argument and cache key: the future the caller gets. */
  @SuppressWarnings("unchecked")
  CompletableFuture<Object> call(String key) throws Throwable {
    return (CompletableFuture<Object>) CallProtocol.call(rule, key, this, null, key, this::body);
  }

  private Object body(Object receiver, Object argument) {
    CompletableFuture<Object> future = outcome.of(calls.incrementAndGet());
    returned.add(future);
    return future;
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

  @Override
  public boolean returnsFuture() {
    return true;
  }

  /** The future the n-th upstream call returned (n counts from 1). */
  CompletableFuture<Object> upstream(int n) {
    return returned.get(n - 1);
  }

  /** How many times the upstream body was entered. */
  int calls() {
    return calls.get();
  }
}
