package dev.tieredcache.it.deployapps;

import dev.tieredcache.it.apps.Report;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * A servlet-container-like harness: deploys the web application {@code shop} from a directory with child-first
 * loaders, calls it, redeploys and undeploys it, and reports what the calls returned (by whose classes) and whether
 * dropped loaders were collected.
 *
 * <pre>
 * ContainerApp deploy   &lt;classes dir&gt;                        one deployment, each method called twice
 * ContainerApp drop     &lt;classes dir&gt; [redis host] [port]    a deployment with cached values undeployed, then GC
 * ContainerApp redeploy &lt;classes dir&gt; [redis host] [port]    webapp-1, then webapp-2 beside it, then each dropped
 * </pre>
 *
 * With a Redis address the harness waits for the values of {@code sku-1} to be in Redis before it goes on (the rules'
 * namespace must be {@code shop}).
 */
public final class ContainerApp {

  /** The deployments alive, by name; removing one drops the harness's last reference to it. */
  private static final Map<String, Deployment> DEPLOYED = new HashMap<>();
  private static RedisProbe redis;

  public static void main(String[] args) throws Exception {
    Path classes = Path.of(args[1]);
    redis = args.length > 3 ? new RedisProbe(args[2], Integer.parseInt(args[3])) : null;
    switch (args[0]) {
      case "deploy":
        deploy(classes);
        break;
      case "drop":
        drop(classes);
        break;
      case "redeploy":
        redeploy(classes);
        break;
      default:
        throw new IllegalArgumentException("unknown scenario " + args[0]);
    }
  }

  private static void deploy(Path classes) {
    Deployment app = new Deployment("webapp-1", classes);
    Object first = app.price("sku-1");
    Object second = app.price("sku-1");
    List<?> firstList = app.prices("sku-1");
    List<?> secondList = app.prices("sku-1");
    Report.result("catalogLoader", Deployment.loaderOf(first).equals("webapp-1") ? "webapp-1" : "?");
    Report.result("price.first", first);
    Report.result("price.second", second);
    Report.result("price.sameInstance", first == second);
    Report.result("price.loader", Deployment.loaderOf(second));
    Report.result("prices.second", secondList);
    Report.result("prices.sameInstance", firstList == secondList);
    Report.result("prices.elementLoaders", Deployment.elementLoaders(secondList));
    Report.result("upstreamCalls", app.upstreamCalls());
  }

  private static void drop(Path classes) throws Exception {
    WeakReference<ClassLoader> dropped = deployUseAndUndeploy(classes);
    Report.result("entriesBeforeGc", memoryEntries("price") + memoryEntries("prices"));
    Report.result("collected", collected(dropped));
    Report.result("entriesAfterGc", memoryEntries("price") + memoryEntries("prices"));
  }

  /** Deploys webapp-1, caches values of its classes (and refreshes one in the background), undeploys it. */
  private static WeakReference<ClassLoader> deployUseAndUndeploy(Path classes) {
    Deployment app = deploy("webapp-1", classes);
    app.price("sku-1");
    app.prices("sku-1");
    awaitInRedis("shop:price:sku-1", "shop:prices:sku-1");
    app.price("sku-1");
    app.prices("sku-1");
    Report.result("upstreamCallsBeforeRefresh", app.upstreamCalls());
    // the rules' ttl is short: wait until the values are stale, and let one call start a background refresh on a
    // refresh thread that this (webapp) call creates
    Report.pause(1_200);
    app.price("sku-1");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (app.upstreamCalls() < 3 && System.nanoTime() - deadline < 0) {
      Report.pause(10);
    }
    Report.result("upstreamCalls", app.upstreamCalls());
    WeakReference<ClassLoader> loader = new WeakReference<>(app.loader());
    undeploy("webapp-1");
    return loader;
  }

  private static void redeploy(Path classes) throws Exception {
    Deployment first = deploy("webapp-1", classes);
    first.price("sku-1");
    first.prices("sku-1");
    awaitInRedis("shop:price:sku-1", "shop:prices:sku-1");

    Deployment second = deploy("webapp-2", classes);
    Object price = second.price("sku-1");
    List<?> prices = second.prices("sku-1");
    Report.result("second.first.price", price);
    Report.result("second.first.priceLoader", Deployment.loaderOf(price));
    Report.result("second.first.pricesLoaders", Deployment.elementLoaders(prices));
    Report.result("second.first.upstreamCalls", second.upstreamCalls());
    price = second.price("sku-1");
    prices = second.prices("sku-1");
    Report.result("second.again.priceLoader", Deployment.loaderOf(price));
    Report.result("second.again.pricesLoaders", Deployment.elementLoaders(prices));
    Report.result("second.again.upstreamCalls", second.upstreamCalls());

    // both deployments alive side by side (a parallel deployment): each keeps getting its own classes, cached
    price = first.price("sku-1");
    prices = first.prices("sku-1");
    Report.result("first.again.priceLoader", Deployment.loaderOf(price));
    Report.result("first.again.pricesLoaders", Deployment.elementLoaders(prices));
    Report.result("first.again.upstreamCalls", first.upstreamCalls());
    price = null;
    prices = null;

    WeakReference<ClassLoader> firstLoader = new WeakReference<>(first.loader());
    first = null;
    undeploy("webapp-1");
    Report.result("first.collected", collected(firstLoader));

    price = second.price("sku-1");
    prices = second.prices("sku-1");
    Report.result("second.afterDrop.priceLoader", Deployment.loaderOf(price));
    Report.result("second.afterDrop.pricesLoaders", Deployment.elementLoaders(prices));
    Report.result("second.afterDrop.upstreamCalls", second.upstreamCalls());

    WeakReference<ClassLoader> secondLoader = new WeakReference<>(second.loader());
    second = null;
    price = null;
    prices = null;
    undeploy("webapp-2");
    Report.result("second.collected", collected(secondLoader));
  }

  private static Deployment deploy(String name, Path classes) {
    Deployment app = new Deployment(name, classes);
    DEPLOYED.put(name, app);
    return app;
  }

  private static void undeploy(String name) {
    DEPLOYED.remove(name).undeploy();
  }

  private static void awaitInRedis(String... keys) {
    if (redis != null && !redis.awaitKeys(10_000, keys)) {
      throw new IllegalStateException("the values did not reach Redis within 10 s");
    }
  }

  /** Runs full collections, a bounded number of times, until {@code ref} is cleared; true when it is. */
  private static boolean collected(WeakReference<?> ref) {
    for (int i = 0; i < 100 && ref.get() != null; i++) {
      System.gc();
      Report.pause(50);
    }
    return ref.get() == null;
  }

  /** The rule's memory entries, as its MBean tells them. */
  private static long memoryEntries(String rule) throws Exception {
    Object entries = ManagementFactory.getPlatformMBeanServer()
        .getAttribute(new ObjectName("dev.tieredcache:type=Rule,name=" + rule), "MemoryEntries");
    return ((Number) entries).longValue();
  }
}
