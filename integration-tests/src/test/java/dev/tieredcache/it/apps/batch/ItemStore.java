package dev.tieredcache.it.apps.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store read one item at a time ({@code find}, {@code stock}) or many at once ({@code findAll}, {@code stocks},
 * {@code byIds}, {@code load}), as a repository is. Records every call with the ids it was asked for, and how often
 * each id was loaded; can be made to fail. Ids at or above 1000 do not exist.
 */
public class ItemStore {

  /** Every call of the upstream, as {@code name[ids]}, in order. */
  public static final List<String> CALLS = new CopyOnWriteArrayList<>();
  /** How often each stock id was loaded (by any method). */
  public static final Map<Long, AtomicInteger> STOCK_LOADS = new ConcurrentHashMap<>();
  public static volatile boolean failing;

  public Item find(Long id) {
    record("find", List.of(id));
    return item(id);
  }

  public List<Item> findAll(List<Long> ids) {
    record("findAll", ids);
    List<Item> found = new ArrayList<>();
    for (Long id : ids) {
      if (id < 1000) {
        found.add(item(id));
      }
    }
    // the order of a database's answer is not the order asked for
    Collections.reverse(found);
    return found;
  }

  public Map<Long, Item> byIds(Set<Long> ids) {
    record("byIds", new ArrayList<>(ids));
    Map<Long, Item> found = new LinkedHashMap<>();
    for (Long id : ids) {
      found.put(id, item(id));
    }
    return found;
  }

  public Item[] load(Long[] ids) {
    record("load", List.of(ids));
    Item[] found = new Item[ids.length];
    for (int i = 0; i < ids.length; i++) {
      found[i] = item(ids[i]);
    }
    return found;
  }

  /** A batch method whose ids are not its first argument. */
  public List<Item> inRegion(String region, List<Long> ids) {
    record("inRegion:" + region, ids);
    List<Item> found = new ArrayList<>();
    for (Long id : ids) {
      found.add(item(id));
    }
    return found;
  }

  public Item stock(Long id) {
    countStock(List.of(id));
    return item(id);
  }

  public List<Item> stocks(List<Long> ids) {
    countStock(ids);
    List<Item> found = new ArrayList<>();
    for (Long id : ids) {
      found.add(item(id));
    }
    return found;
  }

  private static void countStock(List<Long> ids) {
    pause(30);
    for (Long id : ids) {
      STOCK_LOADS.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
    }
  }

  private static void record(String method, List<Long> ids) {
    CALLS.add(method + ids);
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }

  private static Item item(Long id) {
    return id == null || id >= 1000 ? null : new Item(id, "item-" + id);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
