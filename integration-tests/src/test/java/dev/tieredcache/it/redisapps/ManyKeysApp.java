package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;
import java.time.Duration;

/**
 * Calls {@link SlowCatalog#price} for {@code sku-0} to {@code sku-<n-1>} once each and prints the upstream calls and
 * how many values were not {@code <sku>@v1}. Arguments: n, then optionally {@code hold}: raise {@code loaded} and
 * stay until the test raises {@code release}, so the agent's background writes to Redis land before the JVM exits
 * (a write still queued at exit is lost).
 */
public final class ManyKeysApp {

  public static void main(String[] args) {
    int keys = Integer.parseInt(args[0]);
    SlowCatalog catalog = new SlowCatalog();
    int wrong = 0;
    for (int i = 0; i < keys; i++) {
      String sku = "sku-" + i;
      if (!(sku + "@v1").equals(catalog.price(sku))) {
        wrong++;
      }
    }
    Report.result("keys", keys);
    Report.result("wrongValues", wrong);
    Report.result("upstreamCalls", SlowCatalog.UPSTREAM_CALLS.get());
    if (args.length > 1 && args[1].equals("hold")) {
      SignalFiles signals = SignalFiles.ofWorkingDirectory();
      signals.raise("loaded");
      signals.await("release", Duration.ofSeconds(30));
    }
  }
}
