package dev.tieredcache.it.apps.batch;

import dev.tieredcache.it.apps.Report;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Batch rules in a host (SPEC §3 "Batch rules"): a single read, then batch reads of overlapping ids in every shape
 * (list, set to map, array), 50 threads of overlapping batch and single reads, and last, once the values are stale
 * and the store fails, a batch read served from the stale elements. Reports what each read returned and which ids
 * the store was asked for.
 */
public final class BatchApp {

  public static void main(String[] args) throws Exception {
    ItemStore store = new ItemStore();
    Report.result("single", store.find(2L));
    Report.result("batch", store.findAll(List.of(1L, 2L, 3L)));
    Report.result("callsAfterBatch", ItemStore.CALLS);
    Report.result("again", store.findAll(List.of(3L, 1L, 2L)));
    Report.result("withUnknown", store.findAll(List.of(1L, 1000L, 4L, 1L)));
    Report.result("singleOfBatched", store.find(3L));
    Report.result("unknownAgain", store.findAll(List.of(1000L)));
    Report.result("callsAfterAgain", ItemStore.CALLS);

    Report.result("map", store.byIds(new LinkedHashSet<>(List.of(5L, 1L, 6L))));
    Report.result("array", Arrays.toString(store.load(new Long[] {6L, 7L, 1L})));
    Report.result("secondArgument", store.inRegion("eu", List.of(9L, 1L)));
    Report.result("callsAfterShapes", ItemStore.CALLS);

    ExecutorService threads = Executors.newFixedThreadPool(50);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Object>> reads = new ArrayList<>();
    for (int t = 0; t < 50; t++) {
      long first = t % 20;
      boolean single = t % 7 == 6;
      reads.add(threads.submit(() -> {
        start.await();
        if (single) {
          return store.stock(first);
        }
        return store.stocks(List.of(first, (first + 5) % 20, (first + 11) % 20));
      }));
    }
    start.countDown();
    int nulls = 0;
    for (Future<Object> read : reads) {
      Object got = read.get(30, TimeUnit.SECONDS);
      if (got == null || (got instanceof List && ((List<?>) got).size() != 3)) {
        nulls++;
      }
    }
    threads.shutdown();
    Report.result("incompleteReads", nulls);
    Report.result("stockIdsLoaded", ItemStore.STOCK_LOADS.size());
    Report.result("mostLoadsOfOneStockId",
        ItemStore.STOCK_LOADS.values().stream().mapToInt(a -> a.get()).max().orElse(0));

    Thread.sleep(Long.parseLong(args[0]));
    ItemStore.failing = true;
    int before = ItemStore.CALLS.size();
    Report.result("staleOnError", store.findAll(List.of(1L, 2L, 3L)));
    Report.result("callsWhileFailing", ItemStore.CALLS.subList(before, ItemStore.CALLS.size()));
    int beforeMissing = ItemStore.CALLS.size();
    try {
      store.findAll(List.of(1L, 8L));
      Report.result("missingWhileFailing", "returned");
    } catch (IllegalStateException e) {
      Report.result("missingWhileFailing", e.getMessage());
    }
    Report.result("callsForMissing", ItemStore.CALLS.subList(beforeMissing, ItemStore.CALLS.size()));
  }
}
