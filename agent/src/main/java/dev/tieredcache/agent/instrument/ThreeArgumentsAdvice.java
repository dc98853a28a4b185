package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Ticket;
import net.bytebuddy.asm.Advice;

/**
 * Advice for cached methods with three parameters, passed one by one, a {@code long} or narrower integer as a
 * {@code long} (see {@link SplitArguments}): a hit builds no argument array and boxes nothing. Its exit is
 * {@link CachedExitAdvice}.
 */
final class ThreeArgumentsAdvice {

  private ThreeArgumentsAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  static Object enter(@SiteId int site, @Advice.Origin Class<?> origin, @Advice.This(optional = true) Object self,
      @SplitArguments.AsObject(0) Object first, @SplitArguments.AsBits(0) long firstBits,
      @SplitArguments.AsObject(1) Object second, @SplitArguments.AsBits(1) long secondBits,
      @SplitArguments.AsObject(2) Object third, @SplitArguments.AsBits(2) long thirdBits,
      @Advice.Local("ticket") Ticket ticket) {
    Object served = CacheBridge.enter3(site, origin, self, first, firstBits, second, secondBits, third, thirdBits);
    if (served instanceof Ticket) {
      ticket = (Ticket) served;
      return null;
    }
    return served;
  }
}
