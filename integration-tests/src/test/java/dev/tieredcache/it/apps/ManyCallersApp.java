package dev.tieredcache.it.apps;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Many callers at once on a few cold keys of a slow upstream ({@link SlowQuotes}, 50 to 200 ms a call): on Java 21
 * and later {@value #VIRTUAL_CALLERS} virtual threads, before that {@value #PLATFORM_CALLERS} platform threads, all
 * released together, caller {@code i} asking for key {@code sku-<i % KEYS>}. A JFR recording of
 * {@code jdk.VirtualThreadPinned} runs all along (see {@link PinnedEvents}).
 *
 * <p>Arguments: the methods to call, one round each ({@code quote}, {@code stock}); {@code stock+again} adds a second
 * round after a pause, when the first round's values are in Redis. Per round it reports, as {@code
 * RESULT <method>.<round>.<name>=<value>}: callers, answered, wrongValues, failures, finished (all callers ended
 * within {@value #ROUND_LIMIT_SECONDS} s), elapsedMillis, slowestCallMillis, upstreamCalls, keysLoadedOnce,
 * keysLoadedMoreThanOnce and the rule's counters from its MBean. A round that does not finish in time prints where
 * the threads are stuck and ends the JVM with status 3.
 */
public final class ManyCallersApp {

  static final int VIRTUAL_CALLERS = 10_000;
  static final int PLATFORM_CALLERS = 500;
  static final int KEYS = 50;
  static final long ROUND_LIMIT_SECONDS = 90;

  public static void main(String[] args) throws Exception {
    ThreadKind kind = ThreadKind.available();
    int callers = kind == ThreadKind.VIRTUAL ? VIRTUAL_CALLERS : PLATFORM_CALLERS;
    Report.result("threads", kind);
    Report.result("callers", callers);
    Report.result("keys", KEYS);
    SlowQuotes quotes = new SlowQuotes();
    try (PinnedEvents pinned = PinnedEvents.start()) {
      for (String arg : args) {
        String method = arg.replace("+again", "");
        round(quotes, method, "cold", kind, callers);
        if (arg.endsWith("+again")) {
          // the first round's Redis writes go out in the background; let them land
          Thread.sleep(1_000);
          round(quotes, method, "again", kind, callers);
        }
      }
      if (kind == ThreadKind.VIRTUAL) {
        PinnedEvents.pinOnPurpose(kind);
      }
      pinned.stopAndReport(Path.of("pinned.jfr"));
    }
    Report.result("circuitOpen", agentAttribute("CircuitOpen"));
  }

  private static void round(SlowQuotes quotes, String method, String round, ThreadKind kind, int callers)
      throws InterruptedException {
    String prefix = method + "." + round + ".";
    CountDownLatch ready = new CountDownLatch(callers);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger wrong = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicLong slowestNanos = new AtomicLong();
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    AtomicReference<String> firstWrong = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>(callers);
    for (int i = 0; i < callers; i++) {
      String sku = "sku-" + (i % KEYS);
      threads.add(kind.start(() -> {
        ready.countDown();
        try {
          go.await();
          long started = System.nanoTime();
          String value = method.equals("quote") ? quotes.quote(sku) : quotes.stock(sku);
          slowestNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
          answered.incrementAndGet();
          if (!SlowQuotes.expected(method, sku).equals(value)) {
            wrong.incrementAndGet();
            firstWrong.compareAndSet(null, sku + " -> " + value);
          }
        } catch (Throwable t) {
          failures.incrementAndGet();
          firstFailure.compareAndSet(null, t);
        }
      }));
    }
    ready.await();
    long started = System.nanoTime();
    go.countDown();
    long deadline = started + TimeUnit.SECONDS.toNanos(ROUND_LIMIT_SECONDS);
    boolean finished = true;
    for (Thread t : threads) {
      long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (leftMillis > 0) {
        t.join(leftMillis);
      }
      if (t.isAlive()) {
        finished = false;
        break;
      }
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    Report.result(prefix + "finished", finished);
    Report.result(prefix + "elapsedMillis", elapsedMillis);
    Report.result(prefix + "callers", callers);
    Report.result(prefix + "answered", answered.get());
    Report.result(prefix + "wrongValues", wrong.get());
    Report.result(prefix + "firstWrongValue", firstWrong.get() == null ? "none" : firstWrong.get());
    Report.result(prefix + "failures", failures.get());
    Report.result(prefix + "firstFailure", firstFailure.get() == null ? "none" : firstFailure.get().toString());
    Report.result(prefix + "slowestCallMillis", slowestNanos.get() / 1_000_000);
    Map<String, Integer> calls = SlowQuotes.callsPerKey(method);
    int total = 0;
    int once = 0;
    List<String> more = new ArrayList<>();
    for (Map.Entry<String, Integer> e : calls.entrySet()) {
      total += e.getValue();
      if (e.getValue() == 1) {
        once++;
      } else {
        more.add(e.getKey() + "=" + e.getValue());
      }
    }
    Report.result(prefix + "upstreamCalls", total);
    Report.result(prefix + "keysLoadedOnce", once);
    Report.result(prefix + "keysLoadedMoreThanOnce", more);
    for (String counter : List.of("Loads", "CoalescedWaits", "FreshHits", "RedisHits", "RedisErrors")) {
      Report.result(prefix + "rule." + counter, ruleAttribute(method, counter));
    }
    if (firstFailure.get() != null) {
      firstFailure.get().printStackTrace();
    }
    if (!finished) {
      printWhereThreadsWait(kind);
      System.out.flush();
      Runtime.getRuntime().halt(3);
    }
  }

  private static Object ruleAttribute(String rule, String name) {
    return attribute("dev.tieredcache:type=Rule,name=" + rule, name);
  }

  private static Object agentAttribute(String name) {
    return attribute("dev.tieredcache:type=Agent", name);
  }

  private static Object attribute(String bean, String name) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      return server.getAttribute(new ObjectName(bean), name);
    } catch (Exception e) {
      return "unavailable (" + e + ")";
    }
  }

  /**
   * Prints the stacks of the threads that have not ended, grouped by their top frames, most common first: virtual
   * threads through the JDK's thread dump (Java 21 and later; {@code Thread.getAllStackTraces} omits them).
   */
  private static void printWhereThreadsWait(ThreadKind kind) {
    List<List<String>> stacks = new ArrayList<>();
    try {
      if (kind == ThreadKind.VIRTUAL) {
        stacks.addAll(dumpAllThreads());
      } else {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
          List<String> frames = new ArrayList<>();
          frames.add("\"" + e.getKey().getName() + "\"");
          for (StackTraceElement f : e.getValue()) {
            frames.add(f.toString());
          }
          stacks.add(frames);
        }
      }
    } catch (Exception e) {
      System.out.println("HANG no thread dump: " + e);
      return;
    }
    Map<List<String>, Integer> groups = new LinkedHashMap<>();
    for (List<String> stack : stacks) {
      List<String> top = stack.subList(1, Math.min(stack.size(), 25));
      groups.merge(top, 1, Integer::sum);
    }
    List<Map.Entry<List<String>, Integer>> sorted = new ArrayList<>(groups.entrySet());
    sorted.sort(Collections.reverseOrder(Map.Entry.comparingByValue()));
    System.out.println("HANG " + stacks.size() + " threads, " + groups.size() + " distinct stacks");
    for (Map.Entry<List<String>, Integer> group : sorted.subList(0, Math.min(8, sorted.size()))) {
      System.out.println("HANG " + group.getValue() + " threads at:");
      for (String frame : group.getKey()) {
        System.out.println("HANG     " + frame);
      }
    }
  }

  /** Every thread of the JVM, virtual ones too, as name line then frames; uses the Java 21 thread dump. */
  private static List<List<String>> dumpAllThreads() throws Exception {
    Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
    Object bean = ManagementFactory.getPlatformMXBean(
        beanType.asSubclass(java.lang.management.PlatformManagedObject.class));
    Class<?> formatType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
    Object plainText = formatType.getField("TEXT_PLAIN").get(null);
    Path file = Files.createTempFile("threads", ".txt");
    Files.delete(file);
    Method dump = beanType.getMethod("dumpThreads", String.class, formatType);
    dump.invoke(bean, file.toAbsolutePath().toString(), plainText);
    List<List<String>> stacks = new ArrayList<>();
    List<String> current = null;
    for (String line : readLines(file)) {
      if (line.startsWith("#")) {
        current = new ArrayList<>();
        current.add(line);
        stacks.add(current);
      } else if (current != null && !line.isBlank()) {
        current.add(line.trim());
      } else {
        current = null;
      }
    }
    Files.deleteIfExists(file);
    return stacks;
  }

  private static List<String> readLines(Path file) throws IOException {
    return Files.readAllLines(file);
  }
}
