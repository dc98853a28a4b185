package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The instance that invalidates: on the test's signal {@code go} it removes catalogue entries {@code k0},
 * {@code k1}, ... at a steady rate, each once, so the evict rule on {@link Catalog#remove} announces one eviction
 * of a distinct key per call; then it removes the markers {@code m0..m<markers-1>} and raises
 * {@code markers-evicted}. It stays until {@code finish}, so nothing it announced is lost at exit. Arguments: rate
 * (removals per second), seconds, markers.
 */
public final class InvalidationStreamApp {

  public static void main(String[] args) {
    int rate = Integer.parseInt(args[0]);
    int seconds = Integer.parseInt(args[1]);
    int markers = Integer.parseInt(args[2]);
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    Catalog catalog = new Catalog();
    signals.raise("started-A");

    signals.await("go", Duration.ofSeconds(40));
    long total = (long) rate * seconds;
    long started = System.nanoTime();
    long removed = 0;
    long mostBehind = 0;
    while (removed < total) {
      long due = Math.min(total, (System.nanoTime() - started) * rate / 1_000_000_000L);
      if (removed < due) {
        mostBehind = Math.max(mostBehind, due - removed);
        catalog.remove("k" + removed);
        removed++;
      } else {
        LockSupport.parkNanos(50_000);
      }
    }
    long streamNanos = System.nanoTime() - started;
    for (int i = 0; i < markers; i++) {
      catalog.remove("m" + i);
    }
    long markersEvictedAt = System.currentTimeMillis();
    Report.result("streamRemovals", removed);
    Report.result("streamMillis", streamNanos / 1_000_000);
    Report.result("streamRate", removed * 1_000_000_000L / streamNanos);
    Report.result("mostRemovalsBehindSchedule", mostBehind);
    Report.result("markersEvictedAtMillis", markersEvictedAt);
    signals.raise("markers-evicted");

    signals.await("finish", Duration.ofSeconds(40));
  }
}
