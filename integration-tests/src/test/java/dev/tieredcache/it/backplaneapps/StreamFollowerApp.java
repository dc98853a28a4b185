package dev.tieredcache.it.backplaneapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.redisapps.SignalFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The instance that follows another one's stream of invalidations while it works. Arguments: stream keys, sample
 * step, markers, pages held, pages per second. Before the test's {@code go} it holds a sample of the catalogue
 * entries the other instance will remove ({@code k0}, {@code k<step>}, {@code k<2*step>}, ...) and the markers
 * {@code m0..m<markers-1>}, reports its used heap after a GC ({@code heapBeforePagesBytes}), renders the pages to
 * hold ({@code page0..}), and raises {@code ready-B}. From {@code go}:
 *
 * <ul>
 *   <li>every 100 ms it records its used heap ({@code totalMemory - freeMemory});
 *   <li>it renders new pages at the given rate, each of another id, so the page rule's memory tier overflows
 *       its max-entries again and again;
 *   <li>it reads every marker it still holds, every millisecond, and notes (epoch ms) when each one's value
 *       changed: the other instance's removal reached it, and it loaded a new version.
 * </ul>
 *
 * <p>Once every marker changed (or after 30 s) it stops, reads the sample again and counts the entries it no longer
 * held, collects garbage and reports its used heap, and raises {@code done-B}.
 */
public final class StreamFollowerApp {

  private static final long HEAP_PERIOD_NANOS = 100_000_000L;
  private static final Duration MARKER_TIMEOUT = Duration.ofSeconds(30);

  public static void main(String[] args) throws InterruptedException {
    int streamKeys = Integer.parseInt(args[0]);
    int step = Integer.parseInt(args[1]);
    int markers = Integer.parseInt(args[2]);
    int pagesHeld = Integer.parseInt(args[3]);
    int pagesPerSecond = Integer.parseInt(args[4]);
    SignalFiles signals = SignalFiles.ofWorkingDirectory();
    Catalog catalog = new Catalog();
    ProductPages pages = new ProductPages();
    signals.raise("started-B");

    Map<String, String> sample = new LinkedHashMap<>();
    for (int i = 0; i < streamKeys; i += step) {
      sample.put("k" + i, catalog.describe("k" + i));
    }
    Map<String, String> markerValues = new LinkedHashMap<>();
    for (int i = 0; i < markers; i++) {
      markerValues.put("m" + i, catalog.describe("m" + i));
    }
    // the live heap before any page is held, for the test to tell how many pages the heap holds at the end
    Report.result("heapBeforePagesBytes", usedAfterGc());
    for (int i = 0; i < pagesHeld; i++) {
      pages.render("page" + i);
    }
    int heldAgain = 0;
    for (Map.Entry<String, String> e : sample.entrySet()) {
      heldAgain += e.getValue().equals(catalog.describe(e.getKey())) ? 1 : 0;
    }
    Report.result("sampleKeys", sample.size());
    Report.result("sampleHeldBeforeGo", heldAgain);
    signals.raise("ready-B");

    signals.await("go", Duration.ofSeconds(40));
    long go = System.nanoTime();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Long> heap = new ArrayList<>();
    Thread heapWatch = new Thread(() -> {
      Runtime runtime = Runtime.getRuntime();
      long next = System.nanoTime();
      while (running.get()) {
        synchronized (heap) {
          heap.add(runtime.totalMemory() - runtime.freeMemory());
        }
        next += HEAP_PERIOD_NANOS;
        LockSupport.parkNanos(next - System.nanoTime());
      }
    }, "heap-watch");
    Thread renderer = new Thread(() -> {
      long done = 0;
      while (running.get()) {
        long due = (System.nanoTime() - go) * pagesPerSecond / 1_000_000_000L;
        if (done < due) {
          pages.render("page" + (pagesHeld + done));
          done++;
        } else {
          LockSupport.parkNanos(200_000);
        }
      }
    }, "page-renderer");
    heapWatch.start();
    renderer.start();

    Map<String, Long> changedAt = new HashMap<>();
    long deadline = go + MARKER_TIMEOUT.toNanos();
    while (changedAt.size() < markers && System.nanoTime() - deadline < 0) {
      for (Map.Entry<String, String> marker : markerValues.entrySet()) {
        if (!changedAt.containsKey(marker.getKey())
            && !marker.getValue().equals(catalog.describe(marker.getKey()))) {
          changedAt.put(marker.getKey(), System.currentTimeMillis());
        }
      }
      LockSupport.parkNanos(1_000_000);
    }
    running.set(false);
    renderer.join(5_000);
    heapWatch.join(5_000);
    Report.result("markersChanged", changedAt.size());
    Report.result("firstMarkerChangedAtMillis", changedAt.values().stream().mapToLong(Long::longValue).min()
        .orElse(-1));
    Report.result("lastMarkerChangedAtMillis", changedAt.values().stream().mapToLong(Long::longValue).max()
        .orElse(-1));

    int dropped = 0;
    for (Map.Entry<String, String> e : sample.entrySet()) {
      dropped += e.getValue().equals(catalog.describe(e.getKey())) ? 0 : 1;
    }
    Report.result("sampleDropped", dropped);
    Report.result("pagesRendered", ProductPages.RENDERS.get());

    StringJoiner series = new StringJoiner(",");
    long peak = 0;
    synchronized (heap) {
      for (long used : heap) {
        series.add(Long.toString(used >> 20));
        peak = Math.max(peak, used);
      }
      Report.result("heapSamples", heap.size());
    }
    Report.result("heapSeriesMb", series);
    Report.result("heapPeakBytes", peak);
    Report.result("heapAfterGcBytes", usedAfterGc());
    signals.raise("done-B");
  }

  private static long usedAfterGc() throws InterruptedException {
    System.gc();
    Thread.sleep(100);
    System.gc();
    Runtime runtime = Runtime.getRuntime();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
