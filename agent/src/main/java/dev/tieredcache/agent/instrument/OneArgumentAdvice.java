package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Ticket;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice for cached methods with exactly one parameter, which is passed as is (no array): the fast path for the
 * common {@code find(id)} shape. Inlined into host classes, so it may only touch the bridge. Its exit is
 * {@link CachedExitAdvice}.
 */
final class OneArgumentAdvice {

  private OneArgumentAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  static Object enter(@SiteId int site, @Advice.Origin Class<?> origin, @Advice.This(optional = true) Object self,
      @Advice.Argument(value = 0, typing = Assigner.Typing.DYNAMIC) Object argument,
      @Advice.Local("ticket") Ticket ticket) {
    Object served = CacheBridge.enter(site, origin, self, argument);
    if (served instanceof Ticket) {
      ticket = (Ticket) served;
      return null;
    }
    return served;
  }
}
