package dev.tieredcache.it.apps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Reaches a {@link PriceListService} through a JDK proxy ({@code args[0]} = {@code proxy}, the way Spring AOP wraps a
 * bean), a decorator ({@code decorator}) or a subclass whose override calls {@code super} ({@code override}), so that
 * a {@code PriceList+} rule instruments both the outer and the inner {@code find}. Loads sku-1, lets it turn stale
 * (ttl 200 ms), reprices it behind the service's back, and polls for 2 s until the background refresh brings the new
 * price.
 */
public final class NestedRefreshApp {

  public static void main(String[] args) {
    PriceListService bean = args[0].equals("override") ? new RegionalPriceListService() : new PriceListService();
    PriceList prices = outerOf(args[0], bean);
    String first = prices.find("sku-1");
    Report.result("first", first);
    Report.pause(350);
    bean.reprice("sku-1", "12");
    long staleCall = System.nanoTime();
    String current = prices.find("sku-1");
    Report.result("stale", current);
    long deadline = staleCall + 2_000_000_000L;
    while (current.equals(first) && System.nanoTime() < deadline) {
      Report.pause(5);
      current = prices.find("sku-1");
    }
    Report.result("refreshed", current);
    Report.result("refreshedAfterMillis", Report.microsSince(staleCall) / 1_000);
    Report.result("beanCalls", PriceListService.FIND_CALLS.get());
  }

  private static PriceList outerOf(String shape, PriceListService bean) {
    switch (shape) {
      case "proxy":
        return (PriceList) Proxy.newProxyInstance(PriceList.class.getClassLoader(), new Class<?>[] {PriceList.class},
            (proxy, method, methodArgs) -> {
              try {
                return method.invoke(bean, methodArgs);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
      case "decorator":
        return new AuditedPriceList(bean);
      case "override":
        return bean;
      default:
        throw new IllegalArgumentException("shape: proxy, decorator or override, not " + shape);
    }
  }
}
