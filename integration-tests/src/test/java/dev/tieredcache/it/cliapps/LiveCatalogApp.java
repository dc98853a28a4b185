package dev.tieredcache.it.cliapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A host application that runs until told to stop, for the command line to attach to, inspect and detach from. It
 * reads commands from its standard input, one a line, and answers each with {@code RESULT} lines followed by
 * {@code RESULT answered=<n>}:
 *
 * <ul>
 *   <li>{@code loop}: from now on, call {@link SlowCatalog#price} (20 ms upstream) over three keys on a thread of
 *       its own, one call a millisecond or so
 *   <li>{@code pause}: stop that loop (the call in progress ends first)
 *   <li>{@code report}: {@code loopCalls} (calls of the loop), {@code priceUpstream} (calls that ran the method's
 *       body), and {@code agentThreads} (names of the threads called {@code tiered-cache-*})
 *   <li>{@code stock <calls> <keys>}: call {@link StockLevels#level} that many times over that many keys; reports
 *       {@code stockCalls} and {@code stockUpstream}, both counted since the start
 *   <li>{@code exit}, or the end of the input: exit with status 0
 * </ul>
 */
public final class LiveCatalogApp {

  private static final AtomicLong LOOP_CALLS = new AtomicLong();
  private static final AtomicLong STOCK_CALLS = new AtomicLong();
  private static volatile boolean looping;

  public static void main(String[] args) throws Exception {
    SlowCatalog.latency(20);
    SlowCatalog catalog = new SlowCatalog();
    StockLevels stock = new StockLevels();
    Thread loop = null;
    int answered = 0;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("exit")) {
      String[] words = line.trim().split(" ");
      switch (words[0]) {
        case "loop":
          looping = true;
          loop = new Thread(() -> {
            long n = 0;
            while (looping) {
              catalog.price("sku-" + (n++ % 3));
              LOOP_CALLS.incrementAndGet();
              Report.pause(1);
            }
          }, "price-loop");
          loop.start();
          break;
        case "pause":
          looping = false;
          if (loop != null) {
            loop.join();
          }
          break;
        case "report":
          Report.result("loopCalls", LOOP_CALLS.get());
          Report.result("priceUpstream", SlowCatalog.UPSTREAM_CALLS.get());
          Report.result("agentThreads", Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
              .filter(name -> name.startsWith("tiered-cache-")).sorted().collect(Collectors.joining(",")));
          break;
        case "stock":
          int calls = Integer.parseInt(words[1]);
          int keys = Integer.parseInt(words[2]);
          for (int i = 0; i < calls; i++) {
            stock.level("item-" + (i % keys));
            STOCK_CALLS.incrementAndGet();
          }
          Report.result("stockCalls", STOCK_CALLS.get());
          Report.result("stockUpstream", StockLevels.UPSTREAM_CALLS.get());
          break;
        default:
          Report.result("unknownCommand", line);
      }
      Report.result("answered", ++answered);
    }
    looping = false;
    if (loop != null) {
      loop.join();
    }
  }
}
