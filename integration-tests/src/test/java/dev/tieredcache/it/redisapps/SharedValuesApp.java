package dev.tieredcache.it.redisapps;

import dev.tieredcache.it.apps.Report;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Looks up three customers through {@link CustomerDirectory}'s three methods and prints each value's
 * {@link CanonicalText}, how many values differ from what the directory would return, and the upstream calls. Run
 * once to load (the agent writes every value to Redis), then in a second JVM to read the same keys.
 *
 * <p>With the argument {@code hold} it then raises {@code loaded} and stays until the test raises {@code release}:
 * the agent writes to Redis in the background, and a write still queued when the JVM exits is lost, so the test
 * lets the loading JVM live until it has seen every value in Redis.
 */
public final class SharedValuesApp {

  static final List<String> IDS = List.of("c-1", "c-2", "c-3");

  public static void main(String[] args) {
    CustomerDirectory directory = new CustomerDirectory();
    int unequal = 0;
    for (String id : IDS) {
      Object customer = directory.customer(id);
      Object summary = directory.orderSummary(id);
      Object rows = directory.orderRows(id);
      Report.result("customer." + id, CanonicalText.of(customer));
      Report.result("summary." + id, CanonicalText.of(summary));
      Report.result("rows." + id, CanonicalText.of(rows));
      unequal += Objects.equals(customer, CustomerDirectory.expectedCustomer(id)) ? 0 : 1;
      unequal += Objects.equals(summary, CustomerDirectory.expectedOrderSummary(id)) ? 0 : 1;
      unequal += Objects.equals(rows, CustomerDirectory.expectedOrderRows(id)) ? 0 : 1;
    }
    Report.result("unequalValues", unequal);
    Report.result("upstreamCalls", CustomerDirectory.UPSTREAM_CALLS.get());
    if (args.length > 0 && args[0].equals("hold")) {
      SignalFiles signals = SignalFiles.ofWorkingDirectory();
      signals.raise("loaded");
      signals.await("release", Duration.ofSeconds(30));
    }
  }
}
