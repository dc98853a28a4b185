package dev.tieredcache.it.apps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Calls a method of two integer parameters (passed to the cache unboxed) through a JDK proxy of its interface:
 * values beyond the box caches, a {@code null} result, and the upstream failing after the ttl.
 */
public final class SplitArgumentsApp {

  private SplitArgumentsApp() {}

  public static void main(String[] args) throws Exception {
    CentralLots target = new CentralLots();
    Lots lots = (Lots) Proxy.newProxyInstance(Lots.class.getClassLoader(), new Class<?>[] {Lots.class},
        (proxy, method, arguments) -> {
          try {
            return method.invoke(target, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Report.result("proxyClass", lots.getClass().getName());
    Report.result("first", lots.lot(7_000_000_000L, 400));
    Report.result("second", lots.lot(7_000_000_000L, 400));
    Report.result("callsAfterTwo", CentralLots.CALLS.get());
    Report.result("none", String.valueOf(lots.lot(7_000_000_000L, -40_000)));
    Report.result("noneAgain", String.valueOf(lots.lot(7_000_000_000L, -40_000)));
    Report.result("callsAfterNull", CentralLots.CALLS.get());
    Thread.sleep(Long.parseLong(args[0]));
    CentralLots.failing = true;
    String stale;
    try {
      stale = lots.lot(7_000_000_000L, 400);
    } catch (RuntimeException e) {
      stale = "threw " + e;
    }
    Report.result("staleWhileFailing", stale);
  }
}
