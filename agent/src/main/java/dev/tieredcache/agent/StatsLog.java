package dev.tieredcache.agent;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RuleMetrics;
import dev.tieredcache.runtime.TieredCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metrics: {stats-interval: 1m}}: every interval, one INFO line per caching rule with what its counters did
 * since the rule's previous line and the entries in its memory tier now:
 *
 * <pre>
 * stats rule=price hits.fresh=12 hits.stale=0 misses=3 loads=3 ... backplane.out=0 entries=3 (last 1m)
 * </pre>
 *
 * <p>The counters are those of {@link RuleMetrics#snapshot()}, in its order; {@code (last ...)} is the time the counts
 * cover, measured on the runtime's clock: a rule kept through a replacement of the rules goes on from its previous
 * line, a new one counts from when it was put in place. One daemon thread, {@code tiered-cache-stats}, writes the
 * lines; {@link #close} stops it (rules replaced without a stats-interval, agent detached).
 */
final class StatsLog implements AutoCloseable {

  /** The shortest interval: more often would fill the log with little to read. */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(StatsLog.class);

  private final Consumer<String> out;
  private final Duration interval;
  private volatile TieredCache cache;
  /** By rule name: the counters of the rule's last line, and when it was. */
  private final Map<String, Baseline> baselines = new HashMap<>();
  private ScheduledThreadPoolExecutor scheduler;
  private long lastReportAt;

  /** Lines go to {@code out}; {@link #report} writes them, {@link #start} has a thread call it every interval. */
  StatsLog(TieredCache cache, Duration interval, Consumer<String> out) {
    this.cache = cache;
    this.interval = interval;
    this.out = out;
    this.lastReportAt = cache.clock().millis();
    adopt(Map.of());
  }

  /**
   * Starts the lines of {@code cache}'s rules every {@code interval} (at least {@link #MIN_INTERVAL}), at INFO; the
   * rules' counts go on from {@code previous} (a stats log being replaced, or null).
   */
  static StatsLog start(TieredCache cache, Duration interval, StatsLog previous) {
    Duration every = clamped(interval);
    StatsLog log = new StatsLog(cache, every, LOG::info);
    if (previous != null) {
      log.adopt(previous.baselinesCopy());
    }
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "tiered-cache-stats");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    long millis = every.toMillis();
    scheduler.scheduleAtFixedRate(log::reportQuietly, millis, millis, TimeUnit.MILLISECONDS);
    log.scheduler = scheduler;
    return log;
  }

  /** {@code interval}, or {@link #MIN_INTERVAL} if shorter. */
  static Duration clamped(Duration interval) {
    return interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
  }

  /** The interval between lines. */
  Duration interval() {
    return interval;
  }

  /**
   * From now on, reports the rules of {@code next} (the same runtime with new rules, or a new runtime): a rule kept
   * with its counters goes on from its last line, any other counts from now.
   */
  synchronized void use(TieredCache next) {
    this.cache = next;
    adopt(baselinesCopy());
  }

  /** Writes one line per caching rule now in place and returns them; the next line of a rule counts from here. */
  synchronized List<String> report() {
    long now = cache.clock().millis();
    List<String> lines = new ArrayList<>();
    Map<String, Baseline> next = new HashMap<>();
    for (RuleCache rule : cache.rules()) {
      RuleMetrics metrics = rule.metrics();
      Map<String, Long> counts = metrics.snapshot();
      Baseline before = baselines.get(rule.name());
      if (before == null || before.metrics != metrics) {
        before = new Baseline(metrics, null, lastReportAt);
      }
      lines.add(line(rule.name(), counts, before.counts, rule.memorySize(), Duration.ofMillis(now - before.at)));
      next.put(rule.name(), new Baseline(metrics, counts, now));
    }
    baselines.clear();
    baselines.putAll(next);
    lastReportAt = now;
    for (String line : lines) {
      out.accept(line);
    }
    return lines;
  }

  private void reportQuietly() {
    try {
      report();
    } catch (Throwable failed) {
      // the host goes on whatever happens here; the next interval tries again
      LOG.debug("could not write the stats lines: {}", failed.toString());
    }
  }

  /**
   * The line of one rule: each counter's growth since {@code before} (or its whole value when null), the entries in
   * memory, and the time covered.
   */
  static String line(String rule, Map<String, Long> counts, Map<String, Long> before, long entries, Duration span) {
    StringBuilder line = new StringBuilder(256).append("stats rule=").append(rule);
    for (Map.Entry<String, Long> counter : counts.entrySet()) {
      long previous = before == null ? 0 : before.getOrDefault(counter.getKey(), 0L);
      line.append(' ').append(counter.getKey()).append('=').append(Math.max(0, counter.getValue() - previous));
    }
    return line.append(" entries=").append(entries).append(" (last ").append(describe(span)).append(')').toString();
  }

  /** A span rounded to the second: {@code 1m}, {@code 45s}, {@code 1m30s}, {@code 2h}. */
  static String describe(Duration span) {
    long seconds = (span.toMillis() + 500) / 1000;
    if (seconds < 60) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes >= 60 && seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
  }

  /**
   * Baselines for the rules now in place: a rule of {@code old} with the same counters keeps its own, any other starts
   * from its counters now.
   */
  private synchronized void adopt(Map<String, Baseline> old) {
    long now = cache.clock().millis();
    baselines.clear();
    for (RuleCache rule : cache.rules()) {
      Baseline kept = old.get(rule.name());
      baselines.put(rule.name(), kept != null && kept.metrics == rule.metrics() ? kept
          : new Baseline(rule.metrics(), rule.metrics().snapshot(), now));
    }
  }

  private synchronized Map<String, Baseline> baselinesCopy() {
    return new HashMap<>(baselines);
  }

  /** Stops the thread; waits a little for a line being written. */
  @Override
  public void close() {
    ScheduledThreadPoolExecutor s = scheduler;
    if (s == null) {
      return;
    }
    s.shutdownNow();
    try {
      s.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A rule's counters at its last line (null: none yet, count from zero) and when that was. */
  private static final class Baseline {
    final RuleMetrics metrics;
    final Map<String, Long> counts;
    final long at;

    Baseline(RuleMetrics metrics, Map<String, Long> counts, long at) {
      this.metrics = metrics;
      this.counts = counts;
      this.at = at;
    }
  }
}
