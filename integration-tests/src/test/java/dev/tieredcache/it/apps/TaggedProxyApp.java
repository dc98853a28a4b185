package dev.tieredcache.it.apps;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Reads a {@link PriceListService} through a JDK proxy (as Spring AOP wraps a bean) under a tagged {@code PriceList+}
 * rule, then reprices sku-1 through the bean, whose {@code reprice} evicts by tag. Reports the prices read before and
 * right after the eviction, an untagged-by-that-tag sku read before and after, and how often the bean was read.
 */
public final class TaggedProxyApp {

  public static void main(String[] args) {
    PriceListService bean = new PriceListService();
    PriceList prices = (PriceList) Proxy.newProxyInstance(PriceList.class.getClassLoader(),
        new Class<?>[] {PriceList.class}, (proxy, method, methodArgs) -> {
          try {
            return method.invoke(bean, methodArgs);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Report.result("first", prices.find("sku-1"));
    Report.result("other", prices.find("sku-2"));
    Report.result("cached", prices.find("sku-1"));
    Report.result("callsBeforeEvict", PriceListService.FIND_CALLS.get());
    bean.reprice("sku-1", "12");
    Report.result("afterEvict", prices.find("sku-1"));
    Report.result("otherAfterEvict", prices.find("sku-2"));
    Report.result("again", prices.find("sku-1"));
    Report.result("beanCalls", PriceListService.FIND_CALLS.get());
  }
}
