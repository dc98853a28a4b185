package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Ticket;
import net.bytebuddy.asm.Advice;

/**
 * Advice for cached methods whose one parameter is a {@code long}, {@code int}, {@code short} or {@code byte}: the
 * argument is passed widened to a {@code long}, so a hit boxes nothing (a {@code Long} beyond the JDK's small
 * cache would be a new object per call). Inlined into host classes, so it may only touch the bridge. Its exit is
 * {@link CachedExitAdvice}.
 */
final class LongArgumentAdvice {

  private LongArgumentAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  static Object enter(@SiteId int site, @Advice.Origin Class<?> origin, @Advice.This(optional = true) Object self,
      @Advice.Argument(0) long argument,
      @Advice.Local("ticket") Ticket ticket) {
    Object served = CacheBridge.enterLong(site, origin, self, argument);
    if (served instanceof Ticket) {
      ticket = (Ticket) served;
      return null;
    }
    return served;
  }
}
