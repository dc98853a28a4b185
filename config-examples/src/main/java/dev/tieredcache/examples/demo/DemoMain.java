package dev.tieredcache.examples.demo;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Shows, in about four seconds, what a user of tiered-cache should see: a slow lookup made fast, concurrent callers
 * coalesced, the stale value served while the database is down, stale-while-revalidate, and an evict rule.
 *
 * <p>This class contains no caching code and does not know the agent. Run it from the repository root with
 * <pre>
 * java -javaagent:agent/target/tiered-cache-agent.jar=config-examples/demo-rules.yaml \
 *      -cp config-examples/target/classes dev.tieredcache.examples.demo.DemoMain
 * </pre>
 * It exits with 0 when every behaviour was seen, 1 otherwise (and prints a hint when nothing was cached at all).
 */
public final class DemoMain {

  /** The ttl of demo-rules.yaml, which turns jitter off; the demo waits this long for a value to turn stale. */
  private static final Duration TTL = Duration.ofSeconds(1);
  /** How long one database read takes. */
  private static final Duration READ_TIME = Duration.ofMillis(200);
  /** A call this much faster than a database read was served from the cache. */
  private static final long FAST_NANOS = READ_TIME.toNanos() / 4;
  /** How long to wait past the ttl, so that the clock's resolution cannot make the value look fresh still. */
  private static final Duration MARGIN = Duration.ofMillis(100);
  private static final int CONCURRENT_CALLERS = 100;
  /** Cache hits timed together, so that the average shows a warmed-up hit rather than the first one. */
  private static final int WARM_CALLS = 1_000_000;

  private static final String COMMAND = "java -javaagent:agent/target/tiered-cache-agent.jar="
      + "config-examples/demo-rules.yaml -cp config-examples/target/classes " + DemoMain.class.getName();

  private final PrintStream out;
  private final SlowDatabase database;
  private final ProductCatalog catalog;
  private final String micros;
  private final String dash;
  private int problems;

  private DemoMain(PrintStream out, SlowDatabase database, ProductCatalog catalog) {
    this.out = out;
    this.database = database;
    this.catalog = catalog;
    Charset charset = outputCharset();
    this.micros = charset.newEncoder().canEncode('\u00b5') ? "\u00b5s" : "us";
    this.dash = charset.newEncoder().canEncode('\u2014') ? "\u2014" : "-";
  }

  /** Runs the demo; exits with 1 if a behaviour was not seen. */
  public static void main(String[] args) throws Exception {
    SlowDatabase database = new SlowDatabase(READ_TIME);
    DemoMain demo = new DemoMain(System.out, database, new ProductCatalog(database));
    boolean allSeen = demo.run();
    System.out.flush();
    System.exit(allSeen ? 0 : 1);
  }

  private boolean run() throws Exception {
    long start = System.nanoTime();
    out.println("tiered-cache demo: a product catalogue whose database takes " + READ_TIME.toMillis()
        + " ms per read.");
    out.println("The demo's code has no caching in it; the caching comes only from config-examples/demo-rules.yaml.");
    if (!slowThenFast()) {
      return false;
    }
    concurrentCallersShareOneLoad();
    staleValueWhileDatabaseIsDown();
    staleWhileRevalidate();
    evictOnUpdate();
    out.println();
    String elapsed = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9);
    if (problems == 0) {
      out.println("Done in " + elapsed + ": all five behaviours seen.");
      return true;
    }
    out.println("Done in " + elapsed + ": " + problems + " of the five behaviours NOT seen (see the !! lines above).");
    return false;
  }

  /** 1. Returns false when nothing was cached at all, since the other steps would only repeat that. */
  private boolean slowThenFast() {
    section("1. A slow lookup, then the same lookup again");
    int readsBefore = database.reads();
    Timed<Product> first = time(() -> catalog.findProduct("SKU-1"));
    out.println("   first  call  findProduct(\"SKU-1\") -> " + first.value + "   " + took(first.nanos)
        + "   database reads: " + (database.reads() - readsBefore));
    Timed<Product> second = time(() -> catalog.findProduct("SKU-1"));
    int reads = database.reads() - readsBefore;
    out.println("   second call  findProduct(\"SKU-1\") -> " + second.value + "   " + took(second.nanos)
        + "   database reads: " + reads);
    if (reads > 1) {
      out.println("   !! no caching observed " + dash + " did you start with -javaagent:...?");
      out.println("      The second call went to the database again (" + reads + " reads, " + took(second.nanos)
          + "). Start the demo from the repository root with:");
      out.println("        " + COMMAND);
      out.println("      If you did, read the lines starting with [tiered-cache] above: the agent says there why it"
          + " caches nothing.");
      return false;
    }
    Timed<Integer> hits = timeHits(() -> catalog.findProduct("SKU-1"), readsBefore + 1);
    if (hits == null) {
      problem("expected every further call from the cache, with no database read");
      return true;
    }
    long average = hits.nanos / hits.value;
    out.println("   " + String.format(Locale.ROOT, "%,d", hits.value) + " calls more: " + tookPrecisely(average)
        + " each on average   database reads: " + (database.reads() - readsBefore));
    if (Objects.equals(first.value, second.value) && second.nanos < FAST_NANOS) {
      out.println("   -> every call after the first came from the cache, with the same value; once warmed up, "
          + times(first.nanos, average) + " faster than the database.");
    } else {
      problem("expected the second call to return the same value in well under " + took(FAST_NANOS));
    }
    return true;
  }

  /** 2. Many callers of one cold key: one database read, the others wait for it. */
  private void concurrentCallersShareOneLoad() throws Exception {
    section("2. " + CONCURRENT_CALLERS + " callers ask for the same product at the same moment, before it is cached");
    int readsBefore = database.reads();
    CountDownLatch ready = new CountDownLatch(CONCURRENT_CALLERS);
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT_CALLERS);
    List<Future<Product>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < CONCURRENT_CALLERS; i++) {
        answers.add(callers.submit(() -> {
          ready.countDown();
          go.await();
          return catalog.findProduct("SKU-2");
        }));
      }
      ready.await();
      long start = System.nanoTime();
      go.countDown();
      int same = 0;
      int failed = 0;
      Product expected = new Product("SKU-2", "Coffee grinder");
      for (Future<Product> answer : answers) {
        try {
          if (expected.equals(answer.get())) {
            same++;
          }
        } catch (ExecutionException e) {
          failed++;
        }
      }
      long nanos = System.nanoTime() - start;
      int reads = database.reads() - readsBefore;
      out.println("   " + same + " of " + CONCURRENT_CALLERS + " callers got \"" + expected + "\" within "
          + took(nanos) + (failed > 0 ? ", " + failed + " got an exception" : "") + "   database reads: " + reads);
      if (same == CONCURRENT_CALLERS && reads == 1) {
        out.println("   -> one caller read the database; the " + (CONCURRENT_CALLERS - 1)
            + " others waited for that read instead of sending their own.");
      } else {
        problem("expected " + CONCURRENT_CALLERS + " callers with the product and 1 database read");
      }
    } finally {
      callers.shutdownNow();
    }
  }

  /** 3. Past its ttl, the cached value is served while the database fails; a value never cached is not. */
  private void staleValueWhileDatabaseIsDown() {
    section("3. The database goes down");
    out.println("   (waiting " + seconds(TTL) + " until the product cached in step 1 is past its ttl)");
    sleep(TTL.plus(MARGIN));
    database.setDown(true);
    out.println("   the database is DOWN: every read now fails");
    int readsBefore = database.reads();
    int stale = 0;
    int exceptions = 0;
    long slowest = 0;
    int calls = 3;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      try {
        Product product = catalog.findProduct("SKU-1");
        if (product != null && product.name().equals("Espresso machine")) {
          stale++;
        }
      } catch (RuntimeException e) {
        exceptions++;
      }
      slowest = Math.max(slowest, System.nanoTime() - start);
    }
    out.println("   findProduct(\"SKU-1\") called " + calls + " times -> \"Espresso machine\" " + stale + " times, "
        + exceptions + " exceptions, slowest call " + took(slowest) + "   failed database reads: "
        + (database.reads() - readsBefore));
    if (stale == calls && exceptions == 0) {
      out.println("   -> the stale value was served instead of the error (stale-if-error); failed refreshes are"
          + " retried only after error-backoff.");
    } else {
      problem("expected the stale product on every call, and no exception");
    }
    String neverCached;
    try {
      neverCached = "-> " + catalog.findProduct("SKU-3");
    } catch (DatabaseDownException e) {
      neverCached = "throws " + e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    out.println("   findProduct(\"SKU-3\"), never cached, " + neverCached);
    out.println("   -> with no value to fall back on, the caller gets the database's own error, as without a cache.");
    database.setDown(false);
    out.println("   the database is UP again");
  }

  /** 4. Past its ttl, the stale value is served at once while one background read brings the new one. */
  private void staleWhileRevalidate() {
    section("4. A value past its ttl is served at once and refreshed in the background (stale-while-revalidate)");
    int readsBefore = database.reads();
    Timed<Price> loaded = time(() -> catalog.price("SKU-1"));
    out.println("   price(\"SKU-1\") -> " + loaded.value + "   " + took(loaded.nanos) + "   (read from the database)");
    Price changed = new Price("SKU-1", new BigDecimal("229.00"), "EUR");
    database.writePrice("SKU-1", changed.amount());
    out.println("   another system changes the price in the database to " + changed
        + "; the cache cannot know yet");
    out.println("   (waiting " + seconds(TTL) + " until the cached price is past its ttl)");
    sleep(TTL.plus(MARGIN));
    Timed<Price> stale = time(() -> catalog.price("SKU-1"));
    out.println("   price(\"SKU-1\") -> " + stale.value + "   " + took(stale.nanos)
        + "   the stale value, at once; a refresh has started in the background");
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(3).toNanos();
    int calls = 0;
    long slowest = 0;
    Price seen = stale.value;
    while (!changed.equals(seen) && System.nanoTime() < deadline) {
      sleep(Duration.ofMillis(20));
      Timed<Price> next = time(() -> catalog.price("SKU-1"));
      calls++;
      slowest = Math.max(slowest, next.nanos);
      seen = next.value;
    }
    int reads = database.reads() - readsBefore;
    if (changed.equals(seen)) {
      out.println("   price(\"SKU-1\") -> " + seen + "   " + took(System.nanoTime() - start)
          + " later: the refreshed value (" + calls + " calls meanwhile, slowest " + took(slowest) + ")");
    } else {
      out.println("   price(\"SKU-1\") -> still " + seen + " after 3 s (" + calls + " calls)");
    }
    out.println("   database reads: " + reads + " (the first load and the background refresh)");
    if (Objects.equals(loaded.value, stale.value) && stale.nanos < FAST_NANOS && changed.equals(seen)
        && slowest < FAST_NANOS && reads == 2) {
      out.println("   -> no caller waited for the database; the new price appeared once the refresh finished.");
    } else {
      problem("expected the old price at once, then the new price, with no slow call and 2 database reads");
    }
  }

  /** 5. The application's own write evicts the cached value, so the next read sees the change at once. */
  private void evictOnUpdate() {
    section("5. Changing the price through the application evicts the cached one (an evict rule)");
    Timed<Price> cached = time(() -> catalog.price("SKU-1"));
    out.println("   price(\"SKU-1\") -> " + cached.value + "   " + took(cached.nanos) + "   (cached)");
    BigDecimal amount = new BigDecimal("199.00");
    int readsBefore = database.reads();
    catalog.updatePrice("SKU-1", amount);
    out.println("   updatePrice(\"SKU-1\", " + amount + ")   the rule price-updated evicts key SKU-1 of rule price");
    Timed<Price> reloaded = time(() -> catalog.price("SKU-1"));
    int reads = database.reads() - readsBefore;
    out.println("   price(\"SKU-1\") -> " + reloaded.value + "   " + took(reloaded.nanos) + "   database reads: "
        + reads);
    if (reloaded.value != null && amount.equals(reloaded.value.amount()) && reads == 1) {
      out.println("   -> the next call read the new price from the database, instead of serving the old one"
          + " until its ttl ran out.");
    } else {
      problem("expected the new price " + amount + " read again from the database");
    }
  }

  private void section(String title) {
    out.println();
    out.println(title);
  }

  private void problem(String expectation) {
    problems++;
    out.println("   !! " + expectation + "; see the lines starting with [tiered-cache] for what the agent did");
  }

  private String took(long nanos) {
    if (nanos < 1_000_000) {
      return nanos / 1000 + " " + micros;
    }
    return nanos / 1_000_000 + " ms";
  }

  /**
   * Calls {@code call} up to {@link #WARM_CALLS} times, for at most a second, and returns how many calls were made
   * and how long they took; null as soon as a call reads the database (the reads went past {@code expectedReads}).
   */
  private Timed<Integer> timeHits(Supplier<?> call, int expectedReads) {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(1).toNanos();
    int calls = 0;
    while (calls < WARM_CALLS && (calls % 1024 != 0 || System.nanoTime() < deadline)) {
      call.get();
      calls++;
      if (database.reads() > expectedReads) {
        return null;
      }
    }
    return new Timed<>(calls, System.nanoTime() - start);
  }

  /** Like {@link #took(long)}, with a decimal below 10 microseconds, for averages of cache hits. */
  private String tookPrecisely(long nanos) {
    if (nanos < 10_000) {
      return String.format(Locale.ROOT, "%.2f %s", nanos / 1000.0, micros);
    }
    return took(nanos);
  }

  private static String times(long slowNanos, long fastNanos) {
    long factor = slowNanos / Math.max(fastNanos, 1);
    if (factor >= 100) {
      long unit = (long) Math.pow(10, Math.floor(Math.log10(factor)) - 1);
      factor = Math.round((double) factor / unit) * unit;
    }
    return String.format(Locale.ROOT, "about %,d times", factor);
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static <T> Timed<T> time(Supplier<T> call) {
    long start = System.nanoTime();
    T value = call.get();
    return new Timed<>(value, System.nanoTime() - start);
  }

  /** The charset System.out encodes with: stdout.encoding (JDK 19+), else the default charset. */
  private static Charset outputCharset() {
    String name = System.getProperty("stdout.encoding");
    try {
      return name != null ? Charset.forName(name) : Charset.defaultCharset();
    } catch (IllegalArgumentException unknown) {
      return Charset.defaultCharset();
    }
  }

  /** A call's value and how long it took. */
  private static final class Timed<T> {
    final T value;
    final long nanos;

    Timed(T value, long nanos) {
      this.value = value;
      this.nanos = nanos;
    }
  }
}
