package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import net.bytebuddy.asm.Advice;

/** Advice for methods named by an evict rule: after a normal return, the rule's key leaves every tier. */
final class EvictAdvice {

  private EvictAdvice() {}

  @Advice.OnMethodExit
  static void exit(@SiteId int site, @Advice.Origin Class<?> origin, @Advice.AllArguments Object[] arguments) {
    CacheBridge.evict(site, origin, arguments);
  }
}
