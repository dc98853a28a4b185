package dev.tieredcache.runtime;

import java.util.Arrays;

/**
 * The pass-through scope of loads and refreshes (SPEC §4): while a thread runs the original method for a rule and
 * key, an instrumented call of the same rule and key that this thread reaches (a proxy's target, a decorator's
 * delegate, an override calling {@code super}) runs the original code too, so that the outer call alone is cached.
 * The OpenTelemetry agent counts call depth per thread for the same reason.
 *
 * <p>A rule counts its open scopes, so a hit looks at the thread's scope only while some load of that rule runs.
 */
final class LoadScope {

  private static final ThreadLocal<LoadScope> CURRENT = new ThreadLocal<>();

  private RuleCache[] rules = new RuleCache[4];
  private String[] keys = new String[4];
  private int depth;

  private LoadScope() {}

  /** Marks that this thread now runs the original method of {@code rule} for {@code key}. */
  static void enter(RuleCache rule, String key) {
    LoadScope scope = CURRENT.get();
    if (scope == null) {
      scope = new LoadScope();
      CURRENT.set(scope);
    }
    if (scope.depth == scope.rules.length) {
      scope.rules = Arrays.copyOf(scope.rules, scope.depth * 2);
      scope.keys = Arrays.copyOf(scope.keys, scope.depth * 2);
    }
    scope.rules[scope.depth] = rule;
    scope.keys[scope.depth] = key;
    scope.depth++;
    rule.scopesOpened(1);
  }

  /** Ends the innermost scope of {@code rule} and {@code key} on this thread; nothing if there is none. */
  static void exit(RuleCache rule, String key) {
    LoadScope scope = CURRENT.get();
    if (scope == null) {
      return;
    }
    for (int i = scope.depth - 1; i >= 0; i--) {
      if (scope.rules[i] == rule && scope.keys[i].equals(key)) {
        System.arraycopy(scope.rules, i + 1, scope.rules, i, scope.depth - i - 1);
        System.arraycopy(scope.keys, i + 1, scope.keys, i, scope.depth - i - 1);
        scope.depth--;
        scope.rules[scope.depth] = null;
        scope.keys[scope.depth] = null;
        rule.scopesOpened(-1);
        if (scope.depth == 0) {
          // nothing of the agent stays reachable from a host thread between loads
          CURRENT.remove();
        }
        return;
      }
    }
  }

  /** True if this thread is running the original method of {@code rule} for {@code key}. */
  static boolean holds(RuleCache rule, String key) {
    LoadScope scope = CURRENT.get();
    if (scope == null) {
      return false;
    }
    for (int i = scope.depth - 1; i >= 0; i--) {
      if (scope.rules[i] == rule && scope.keys[i].equals(key)) {
        return true;
      }
    }
    return false;
  }
}
