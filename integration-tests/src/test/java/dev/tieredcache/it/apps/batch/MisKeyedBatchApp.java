package dev.tieredcache.it.apps.batch;

import dev.tieredcache.it.apps.Report;
import java.util.List;

/** Batch reads under a batch rule whose key does not render the named rule's keys: the host must not notice. */
public final class MisKeyedBatchApp {

  public static void main(String[] args) {
    ItemStore store = new ItemStore();
    Report.result("first", store.findAll(List.of(1L, 2L)));
    Report.result("second", store.findAll(List.of(1L, 2L)));
    Report.result("single", store.find(1L));
    Report.result("calls", ItemStore.CALLS);
  }
}
