package dev.tieredcache.benchmarks.load;

import java.util.List;
import java.util.Locale;

/** The table and the checks of a load run. */
final class LoadReport {

  private LoadReport() {}

  static String render(LoadOptions options, List<LoadApp.Phase> phases, int[] failingCalls) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%nLoad run: %d threads, %d keys (Zipf s=%.2f), upstream %d ms, Java %s, %d"
        + " cores%n%n", options.threads, options.keys, options.zipf, options.latencyMillis,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    out.append("| phase | s | calls/s | p50 ms | p99 ms | p99.9 ms | max ms | failed, key had a value |"
        + " failed, key never loaded | upstream calls/s |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    LoadApp.Phase steady = null;
    for (LoadApp.Phase p : phases) {
      if (p.name.equals("steady")) {
        steady = p;
      }
      double seconds = p.actualMillis / 1000.0;
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %.3f | %.3f | %.3f | %.1f | %d | %d | %.1f |%n",
          p.name, seconds, p.latencies.count() / seconds, ms(p.latencies.percentileNanos(0.50)),
          ms(p.latencies.percentileNanos(0.99)), ms(p.latencies.percentileNanos(0.999)),
          ms(p.latencies.maxNanos()), p.failedWithValue, p.failedWithoutValue, p.upstreamCalls / seconds));
    }
    out.append("\nChecks:\n");
    long failedWithValue = 0;
    for (LoadApp.Phase p : phases) {
      failedWithValue += p.failedWithValue;
    }
    out.append(String.format(Locale.ROOT, "- no failed call for a key that had a value (within stale-if-error): %s"
        + " (%d failed)%n", failedWithValue == 0 ? "met" : "MISSED", failedWithValue));
    double steadyP99 = steady == null ? 0 : ms(steady.latencies.percentileNanos(0.99));
    for (LoadApp.Phase p : phases) {
      if (p.fault) {
        double p99 = ms(p.latencies.percentileNanos(0.99));
        out.append(String.format(Locale.ROOT, "- p99 of '%s' within 2x of steady: %s (%.3f ms against %.3f ms,"
            + " %.2fx)%n", p.name, p99 <= 2 * steadyP99 ? "met" : "MISSED", p99, steadyP99,
            steadyP99 == 0 ? 0 : p99 / steadyP99));
      }
    }
    if (failingCalls != null) {
      LoadApp.Phase failing = phases.stream().filter(p -> p.name.equals("upstream failing")).findFirst()
          .orElseThrow();
      long allowed = failing.millis / options.errorBackoffMillis + 1;
      out.append(String.format(Locale.ROOT, "- upstream calls per key while it failed at most one per error-backoff"
          + " (%d ms, so at most %d in %d ms), keys with a stale value: %s (the most for one key: %d; %d keys"
          + " tried)%n", options.errorBackoffMillis, allowed, failing.millis,
          failingCalls[0] <= allowed ? "met" : "MISSED", failingCalls[0], failingCalls[1]));
      out.append(String.format(Locale.ROOT, "  keys that never had a value (nothing to serve; each caller is a miss):"
          + " the most calls for one key %d, %d keys tried%n", failingCalls[2], failingCalls[3]));
    }
    return out.toString();
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
