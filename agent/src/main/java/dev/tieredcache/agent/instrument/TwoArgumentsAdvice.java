package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Ticket;
import net.bytebuddy.asm.Advice;

/**
 * Advice for cached methods with two parameters, passed one by one, a {@code long} or narrower integer as a
 * {@code long} (see {@link SplitArguments}): a hit builds no argument array and boxes nothing. Its exit is
 * {@link CachedExitAdvice}.
 */
final class TwoArgumentsAdvice {

  private TwoArgumentsAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
  static Object enter(@SiteId int site, @Advice.Origin Class<?> origin, @Advice.This(optional = true) Object self,
      @SplitArguments.AsObject(0) Object first, @SplitArguments.AsBits(0) long firstBits,
      @SplitArguments.AsObject(1) Object second, @SplitArguments.AsBits(1) long secondBits,
      @Advice.Local("ticket") Ticket ticket) {
    Object served = CacheBridge.enter2(site, origin, self, first, firstBits, second, secondBits);
    if (served instanceof Ticket) {
      ticket = (Ticket) served;
      return null;
    }
    return served;
  }
}
