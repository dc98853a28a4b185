package dev.tieredcache.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Calls the asynchronous {@link QuoteService} and reports what its callers got: whether a call returned before
 * the remote service answered, whether a hit was already complete, what a failed future gave, how many remote
 * calls concurrent callers caused. With the argument {@code linger} it stays a second and a half at the end (the
 * agent writes to Redis in the background); with {@code read} it only reads values another JVM loaded.
 */
public final class FutureMethodsApp {

  static final int CALLERS = 50;

  public static void main(String[] args) throws Exception {
    QuoteService quotes = new QuoteService();
    if (args.length > 0 && args[0].equals("read")) {
      CompletableFuture<Quote> read = quotes.quote("sku-1");
      Report.result("read.completedAtOnce", read.isDone());
      Report.result("read.value", read.get(10, TimeUnit.SECONDS));
      Report.result("read.calls", QuoteService.calls("quote", "sku-1"));
      return;
    }
    valueIsCached(quotes);
    failedFutureIsNotCached(quotes);
    staleValueOnAFailedFuture(quotes);
    concurrentCallersShareOneCall(quotes);
    completionStageAndOptional(quotes);
    if (args.length > 0 && args[0].equals("linger")) {
      Report.pause(1500);
    }
  }

  private static void valueIsCached(QuoteService quotes) throws Exception {
    CompletableFuture<Quote> miss = quotes.quote("sku-1");
    Report.result("miss.pendingWhenReturned", !miss.isDone());
    Report.result("miss.value", miss.get(10, TimeUnit.SECONDS));
    CompletableFuture<Quote> hit = quotes.quote("sku-1");
    CompletableFuture<Quote> otherHit = quotes.quote("sku-1");
    Report.result("hit.completedAtOnce", hit.isDone() && otherHit.isDone());
    Report.result("hit.value", hit.getNow(null));
    Report.result("hit.distinctFutures", hit != otherHit && hit != miss);
    hit.obtrudeValue(new Quote("sku-1", 0, "changed by a caller"));
    otherHit.cancel(true);
    Report.result("hit.afterOthersChangedTheirs", quotes.quote("sku-1").getNow(null));
    Report.result("calls", QuoteService.calls("quote", "sku-1"));
  }

  private static void failedFutureIsNotCached(QuoteService quotes) {
    QuoteService.down(true);
    Report.result("failed.first", outcome(quotes.quote("sku-2")));
    Report.result("failed.second", outcome(quotes.quote("sku-2")));
    Report.result("failed.callsWhileDown", QuoteService.calls("quote", "sku-2"));
    QuoteService.down(false);
    Report.result("failed.afterRecovery", outcome(quotes.quote("sku-2")));
    Report.result("failed.calls", QuoteService.calls("quote", "sku-2"));
  }

  /** last-quote: ttl 200 ms, no stale-while-revalidate, stale-if-error 1 h. */
  private static void staleValueOnAFailedFuture(QuoteService quotes) {
    Report.result("stale.loaded", outcome(quotes.lastQuote("sku-1")));
    Report.pause(400);
    QuoteService.down(true);
    CompletableFuture<Quote> refresh = quotes.lastQuote("sku-1");
    Report.result("stale.pendingWhenReturned", !refresh.isDone());
    Report.result("stale.onError", outcome(refresh));
    Report.result("stale.whileBackingOff", outcome(quotes.lastQuote("sku-1")));
    Report.result("stale.calls", QuoteService.calls("lastQuote", "sku-1"));
    QuoteService.down(false);
  }

  private static void concurrentCallersShareOneCall(QuoteService quotes) throws Exception {
    QuoteService.latency(1000);
    CountDownLatch ready = new CountDownLatch(CALLERS);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Quote>> got = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      Thread caller = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          got.add(quotes.quote("sku-3"));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "caller-" + i);
      caller.start();
      callers.add(caller);
    }
    ready.await();
    go.countDown();
    for (Thread caller : callers) {
      caller.join();
    }
    got.add(quotes.quote("sku-3"));
    int pending = 0;
    for (CompletableFuture<Quote> f : got) {
      pending += f.isDone() ? 0 : 1;
    }
    Report.result("shared.pendingWhenAllReturned", pending);
    Set<Object> values = ConcurrentHashMap.newKeySet();
    Set<Object> futures = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (CompletableFuture<Quote> f : got) {
      values.add(outcome(f));
      futures.add(f);
    }
    Report.result("shared.callers", got.size());
    Report.result("shared.distinctFutures", futures.size());
    Report.result("shared.values", values);
    Report.result("shared.calls", QuoteService.calls("quote", "sku-3"));
    QuoteService.latency(100);
  }

  private static void completionStageAndOptional(QuoteService quotes) throws Exception {
    Report.result("label.first", quotes.label("sku-1").toCompletableFuture().get(10, TimeUnit.SECONDS));
    CompletableFuture<String> label = quotes.label("sku-1").toCompletableFuture();
    Report.result("label.hitCompletedAtOnce", label.isDone());
    Report.result("label.hit", label.getNow(null));
    Report.result("label.calls", QuoteService.calls("label", "sku-1"));
    Optional<String> first = quotes.nickname("c-1");
    Optional<String> second = quotes.nickname("c-1");
    Report.result("nickname", first + " " + second);
    Report.result("nickname.calls", QuoteService.calls("nickname", "c-1"));
    Report.result("nickname.unknown", quotes.nickname("unknown-1") + " " + quotes.nickname("unknown-1"));
    Report.result("nickname.unknown.calls", QuoteService.calls("nickname", "unknown-1"));
  }

  private static String outcome(CompletableFuture<?> future) {
    try {
      return "value " + future.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return "failed " + e.getCause();
    } catch (Exception e) {
      return "no outcome " + e;
    }
  }
}
