package dev.tieredcache.it.apps;

import java.util.List;

/** Finds, saves (evicting one key) and saves all (evicting every key) on an {@link InMemoryProductRepository}. */
public final class EvictionApp {

  public static void main(String[] args) {
    ProductRepository repository = new InMemoryProductRepository();
    repository.findById("p1");
    Report.result("repeatedFind", repository.findById("p1").getName());
    Report.result("loadsAfterRepeatedFind", InMemoryProductRepository.FIND_CALLS.get());

    repository.save(new Product("p1", "steel kettle"));
    Report.result("findAfterSave", repository.findById("p1").getName());
    Report.result("loadsAfterSave", InMemoryProductRepository.FIND_CALLS.get());
    repository.findById("p1");
    Report.result("loadsAfterFindingAgain", InMemoryProductRepository.FIND_CALLS.get());

    repository.findById("p2");
    repository.save(new Product("p3", "mug"));
    repository.findById("p1");
    repository.findById("p2");
    Report.result("loadsAfterUnrelatedSave", InMemoryProductRepository.FIND_CALLS.get());

    repository.saveAll(List.of(new Product("p1", "copper kettle"), new Product("p2", "red toaster")));
    Report.result("findP1AfterSaveAll", repository.findById("p1").getName());
    Report.result("findP2AfterSaveAll", repository.findById("p2").getName());
    Report.result("loadsAfterSaveAll", InMemoryProductRepository.FIND_CALLS.get());
    repository.findById("p1");
    repository.findById("p2");
    Report.result("loadsAfterFindingAllAgain", InMemoryProductRepository.FIND_CALLS.get());
  }
}
