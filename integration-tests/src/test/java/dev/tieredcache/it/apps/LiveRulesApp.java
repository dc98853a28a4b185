package dev.tieredcache.it.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls {@link SlowCatalog#price} for four skus in a loop, as a running service would, while the test attaches,
 * replaces and detaches the agent from outside. Every 10 ms it writes its state to {@code status.txt}: its pid, how
 * many calls it made, how many reached the database, how many threw, and the names of the threads the agent
 * started (or a library of it would). It ends when the file {@code stop} appears (or after 50 s).
 */
public final class LiveRulesApp {

  public static void main(String[] args) throws Exception {
    Path status = Path.of("status.txt");
    Path stop = Path.of("stop");
    SlowCatalog catalog = new SlowCatalog();
    long pid = ProcessHandle.current().pid();
    long calls = 0;
    long errors = 0;
    String firstError = "";
    long deadline = System.nanoTime() + 50_000_000_000L;
    long nextStatus = 0;
    while (!Files.exists(stop) && System.nanoTime() < deadline) {
      try {
        String price = catalog.price("sku-" + (calls % 4));
        if (!price.startsWith("sku-")) {
          throw new IllegalStateException("unexpected price " + price);
        }
      } catch (RuntimeException e) {
        errors++;
        if (firstError.isEmpty()) {
          firstError = e.toString();
        }
      }
      calls++;
      Thread.sleep(1);
      if (System.nanoTime() >= nextStatus) {
        write(status, "pid=" + pid + " calls=" + calls + " upstream=" + SlowCatalog.UPSTREAM_CALLS.get()
            + " errors=" + errors + " threads=" + agentThreads() + " firstError=" + firstError);
        nextStatus = System.nanoTime() + 10_000_000L;
      }
    }
    Report.result("errors", errors);
    Report.result("firstError", firstError);
  }

  private static String agentThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      // the agent's threads, and threads its libraries would start if it let them (their pools, the host's
      // common pool): the agent must leave none of them behind when detached
      if (t.getName().startsWith("tiered-cache") || t.getName().startsWith("commons-pool")
          || t.getName().startsWith("ForkJoinPool.commonPool")) {
        names.add(t.getName());
      }
    }
    return String.join(",", names);
  }

  private static void write(Path status, String line) throws IOException {
    Path next = Path.of("status.txt.next");
    Files.writeString(next, line);
    Files.move(next, status, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
