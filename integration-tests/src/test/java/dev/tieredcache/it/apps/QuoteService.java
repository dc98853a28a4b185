package dev.tieredcache.it.apps;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An asynchronous pricing client: its methods return at once a future that a "remote service" completes later, on
 * a thread of its own, after a latency the test sets; while the service is down the futures fail (the methods
 * themselves never throw). Counts the calls of each method and key.
 */
public class QuoteService {

  private static final ExecutorService REMOTE = Executors.newFixedThreadPool(4, task -> {
    Thread t = new Thread(task, "remote-quotes");
    t.setDaemon(true);
    return t;
  });
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  private static volatile long latencyMillis = 100;
  private static volatile String version = "v1";
  private static volatile boolean down;

  public static void latency(long millis) {
    latencyMillis = millis;
  }

  public static void version(String v) {
    version = v;
  }

  public static void down(boolean isDown) {
    down = isDown;
  }

  /** How many times {@code method} ran for {@code key}. */
  public static int calls(String method, String key) {
    AtomicInteger n = CALLS.get(method + ":" + key);
    return n == null ? 0 : n.get();
  }

  public CompletableFuture<Quote> quote(String sku) {
    return remote("quote", sku, () -> new Quote(sku, 2499, version));
  }

  public CompletableFuture<Quote> lastQuote(String sku) {
    return remote("lastQuote", sku, () -> new Quote(sku, 1999, version));
  }

  /** Declared as a {@code CompletionStage}; the future behind it is a {@code CompletableFuture}. */
  public CompletionStage<String> label(String sku) {
    return remote("label", sku, () -> "label of " + sku + "@" + version);
  }

  /** Synchronous: an {@code Optional}, empty for unknown ids. */
  public Optional<String> nickname(String id) {
    CALLS.computeIfAbsent("nickname:" + id, k -> new AtomicInteger()).incrementAndGet();
    return id.startsWith("unknown") ? Optional.empty() : Optional.of("nick-" + id + "@" + version);
  }

  private <T> CompletableFuture<T> remote(String method, String key, java.util.function.Supplier<T> answer) {
    CALLS.computeIfAbsent(method + ":" + key, k -> new AtomicInteger()).incrementAndGet();
    boolean failing = down;
    long latency = latencyMillis;
    CompletableFuture<T> result = new CompletableFuture<>();
    REMOTE.execute(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep(latency);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failing) {
        result.completeExceptionally(new IllegalStateException("quote service down"));
      } else {
        result.complete(answer.get());
      }
    });
    return result;
  }
}
