package dev.tieredcache.runtime.redistier;

import dev.tieredcache.runtime.Upstream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "original method" of a test rule, possibly shared by several instances: counts its calls and, by default,
 * returns {@code "v<n>"} on its n-th call.
 */
final class CountedMethod implements Upstream {

  /** What one call returns; {@code call} counts from 1. */
  @FunctionalInterface
  interface Body {
    Object run(int call, Object argument) throws Throwable;
  }

  private final AtomicInteger calls = new AtomicInteger();
  private volatile Body body = (call, argument) -> "v" + call;

  CountedMethod returning(Body body) {
    this.body = body;
    return this;
  }

  @Override
  public Object call(Object receiver, Object argument) throws Throwable {
    return body.run(calls.incrementAndGet(), argument);
  }

  /** How many times the method was entered (including calls still running). */
  int calls() {
    return calls.get();
  }
}
