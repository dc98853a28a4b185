package dev.tieredcache.runtime;

import java.util.Arrays;

/**
 * Calls a {@link ScriptedUpstream} through a {@link RuleCache} exactly as the agent's advice does: {@code begin},
 * then either a plain call, a load reported with {@code complete}, or the served value. Its {@link Upstream} for
 * background refreshes calls the instrumented method again (this call site), like the agent's does, so a refresh
 * goes through {@code begin} and its bypass.
 */
final class CallSite {

  private final RuleCache rule;
  private final ScriptedUpstream method;
  private final Upstream upstream;

  CallSite(RuleCache rule, ScriptedUpstream method) {
    this.rule = rule;
    this.method = method;
    this.upstream = this::call;
  }

  private CallSite(RuleCache rule, ScriptedUpstream method, Upstream upstream) {
    this.rule = rule;
    this.method = method;
    this.upstream = upstream;
  }

  /** A call site that gives the rule no way to call the method again (background work disabled). */
  static CallSite withoutUpstream(RuleCache rule, ScriptedUpstream method) {
    return new CallSite(rule, method, null);
  }

  /** The key of a call: the text of its argument(s). */
  static String keyOf(Object arguments) {
    return arguments instanceof Object[] ? Arrays.deepToString((Object[]) arguments) : String.valueOf(arguments);
  }

  /** A call of a static one-argument method. */
  Object call(Object argument) throws Throwable {
    return call(null, argument);
  }

  /** A call on {@code receiver}; {@code arguments} is the single argument or an {@code Object[]}. */
  Object call(Object receiver, Object arguments) throws Throwable {
    return CallProtocol.call(rule, keyOf(arguments), upstream, receiver, arguments, method);
  }

  /** {@link #call(Object)} with its outcome captured instead of thrown, for calls made on other threads. */
  Outcome outcome(Object argument) {
    try {
      return Outcome.returned(call(argument));
    } catch (Throwable t) {
      return Outcome.threw(t);
    }
  }

  /** What a call returned or threw. */
  static final class Outcome {
    final Object value;
    final Throwable error;

    private Outcome(Object value, Throwable error) {
      this.value = value;
      this.error = error;
    }

    static Outcome returned(Object value) {
      return new Outcome(value, null);
    }

    static Outcome threw(Throwable error) {
      return new Outcome(null, error);
    }

    @Override
    public String toString() {
      return error != null ? "threw " + error : "returned " + value;
    }
  }
}
