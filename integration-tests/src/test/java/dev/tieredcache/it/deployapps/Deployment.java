package dev.tieredcache.it.deployapps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One deployment of the web application {@code shop}: its own {@link WebAppLoader}, a {@code Catalog} made by it, and
 * calls of the catalog's cached methods through reflection, each run with the deployment's loader as the thread's
 * context class loader (as a container runs a request). Holds the loader strongly: dropping the deployment drops it.
 */
final class Deployment {

  static final String CATALOG = "dev.tieredcache.it.deployapps.shop.Catalog";

  private final WebAppLoader loader;
  private final Object catalog;
  private final Method price;
  private final Method prices;
  private final AtomicInteger upstreamCalls;

  Deployment(String name, Path classes) {
    loader = new WebAppLoader(name, classes, Deployment.class.getClassLoader());
    try {
      Class<?> type = Class.forName(CATALOG, true, loader);
      catalog = type.getConstructor().newInstance();
      price = type.getMethod("price", String.class);
      prices = type.getMethod("prices", String.class);
      upstreamCalls = (AtomicInteger) type.getField("UPSTREAM_CALLS").get(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot deploy " + name + " from " + classes, e);
    }
  }

  ClassLoader loader() {
    return loader;
  }

  String name() {
    return loader.getName();
  }

  /** {@code Catalog.price(sku)}: a {@code Price} of some deployment. */
  Object price(String sku) {
    return call(price, sku);
  }

  /** {@code Catalog.prices(sku)}: a JDK list of {@code Price}s. */
  List<?> prices(String sku) {
    return (List<?>) call(prices, sku);
  }

  /** How many calls ran a method body of this deployment's catalog. */
  int upstreamCalls() {
    return upstreamCalls.get();
  }

  /** The loader the class of {@code value} comes from, by name ("webapp-1"), or what it is instead. */
  static String loaderOf(Object value) {
    if (value == null) {
      return "null";
    }
    ClassLoader l = value.getClass().getClassLoader();
    return l == null ? "bootstrap" : l instanceof WebAppLoader ? l.getName() : l.toString();
  }

  /** The loaders of a list's elements, as {@link #loaderOf} names them, joined with {@code ,}. */
  static String elementLoaders(List<?> values) {
    StringBuilder sb = new StringBuilder();
    for (Object v : values) {
      sb.append(sb.length() == 0 ? "" : ",").append(loaderOf(v));
    }
    return sb.toString();
  }

  /** Undeploys: closes the loader (as a container does); the caller then drops every reference to this deployment. */
  void undeploy() {
    try {
      loader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object call(Method method, String sku) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return method.invoke(catalog, sku);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(name() + ": " + method.getName() + " threw", e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(before);
    }
  }
}
