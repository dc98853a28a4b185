package dev.tieredcache.runtime;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The "original method" of a test rule: counts its calls, remembers who called it with what, and does what the test
 * scripted (return a value, throw, block until a gate opens). By default its n-th call returns {@code "v<n>"}.
 */
final class ScriptedUpstream implements Upstream {

  /** What one call does; {@code call} counts from 1. */
  @FunctionalInterface
  interface Behaviour {
    Object run(int call, Object receiver, Object arguments) throws Throwable;
  }

  /** One call as the upstream saw it. */
  static final class Invocation {
    final int call;
    final Object receiver;
    final Object arguments;
    final Thread thread;

    Invocation(int call, Object receiver, Object arguments, Thread thread) {
      this.call = call;
      this.receiver = receiver;
      this.arguments = arguments;
      this.thread = thread;
    }
  }

  private final AtomicInteger calls = new AtomicInteger();
  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour = numbered("v");

  ScriptedUpstream behave(Behaviour b) {
    behaviour = b;
    return this;
  }

  @Override
  public Object call(Object receiver, Object arguments) throws Throwable {
    int n = calls.incrementAndGet();
    invocations.add(new Invocation(n, receiver, arguments, Thread.currentThread()));
    return behaviour.run(n, receiver, arguments);
  }

  /** How many times the upstream was entered (including calls still running). */
  int calls() {
    return calls.get();
  }

  List<Invocation> invocations() {
    return invocations;
  }

  Invocation lastInvocation() {
    return invocations.get(invocations.size() - 1);
  }

  static Behaviour returning(Object value) {
    return (call, receiver, arguments) -> value;
  }

  /** The n-th call returns {@code prefix + n}. */
  static Behaviour numbered(String prefix) {
    return (call, receiver, arguments) -> prefix + call;
  }

  static Behaviour throwing(Throwable error) {
    return (call, receiver, arguments) -> {
      throw error;
    };
  }

  /** Waits (up to 30 s, then fails loudly) for {@code gate} to open, then does {@code then}. */
  static Behaviour blockingUntil(CountDownLatch gate, Behaviour then) {
    return (call, receiver, arguments) -> {
      if (!gate.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the test never opened the gate");
      }
      return then.run(call, receiver, arguments);
    };
  }

  /** The first call does {@code first}, every later call does {@code later}. */
  static Behaviour firstThen(Behaviour first, Behaviour later) {
    return (call, receiver, arguments) -> (call == 1 ? first : later).run(call, receiver, arguments);
  }
}
