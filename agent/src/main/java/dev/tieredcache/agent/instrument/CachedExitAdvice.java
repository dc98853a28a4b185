package dev.tieredcache.agent.instrument;

import dev.tieredcache.bridge.CacheBridge;
import dev.tieredcache.bridge.Ticket;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The exit of every cached method, whichever enter advice passed its arguments ({@link OneArgumentAdvice},
 * {@link LongArgumentAdvice}, {@link TwoArgumentsAdvice}, {@link ThreeArgumentsAdvice}, {@link ArgumentsAdvice}):
 * returns the value the cache served, or reports the method's outcome to the load's ticket the enter advice left in
 * the {@code ticket} local. Inlined into host classes, so it may only touch the bridge.
 */
final class CachedExitAdvice {

  private CachedExitAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class)
  static void exit(@Advice.Enter Object served, @Advice.Local("ticket") Ticket ticket,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    if (served != null) {
      returned = served == CacheBridge.NULL ? null : served;
    } else if (ticket != null) {
      Object instead = ticket.complete(returned, thrown);
      if (instead != null) {
        returned = instead == CacheBridge.NULL ? null : instead;
        thrown = null;
      }
    }
  }
}
