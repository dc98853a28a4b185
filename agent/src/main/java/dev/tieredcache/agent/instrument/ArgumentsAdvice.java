package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Ticket;
import net.bytebuddy.asm.Advice;

/**
 * Advice for cached methods with no parameter or more than three; the arguments are passed as an array, or
 * {@code null} for none (no array per call). {@link OneArgumentAdvice}, {@link TwoArgumentsAdvice} and
 * {@link ThreeArgumentsAdvice} are the same for one to three parameters, passed one by one (no array per hit).
 * Inlined into host classes: it may only touch the bridge. Its exit is {@link CachedExitAdvice}.
 */
final class ArgumentsAdvice {

  private ArgumentsAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  static Object enter(@SiteId int site, @Advice.Origin Class<?> origin, @Advice.This(optional = true) Object self,
      @Advice.AllArguments(nullIfEmpty = true) Object[] arguments,
      @Advice.Local("ticket") Ticket ticket) {
    Object served = CacheBridge.enter(site, origin, self, arguments);
    if (served instanceof Ticket) {
      ticket = (Ticket) served;
      return null;
    }
    return served;
  }
}
