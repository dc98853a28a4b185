package dev.tieredcache.runtime;

import dev.tieredcache.runtime.backplane.BackplaneMessage;

/**
 * Test-only access to what a rule does with another instance's backplane message ({@link RuleCache#applyRemote},
 * package-private), for tests in other packages that play the other instance themselves.
 */
public final class BackplaneDelivery {

  private BackplaneDelivery() {}

  /** Hands {@code rule} the message {@code change}, as its backplane subscriber does. */
  public static void deliver(RuleCache rule, BackplaneMessage.Entry change) {
    rule.applyRemote(change);
  }
}
