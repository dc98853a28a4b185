package dev.tieredcache.runtime;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;

/**
 * Logs a warning at most once per interval for each topic, so a fault hit on every call does not flood the host's
 * stderr. The count of suppressed repeats is reported with the next line of the same topic.
 */
public final class ThrottledLog {

  private static final long INTERVAL_NANOS = 60_000_000_000L;
  private static final int MAX_TOPICS = 1_000;

  private final Logger log;
  private final ConcurrentMap<String, Window> lastByTopic = new ConcurrentHashMap<>();

  public ThrottledLog(Logger log) {
    this.log = log;
  }

  /** Logs {@code message} (with {@code error}'s stack trace if not null) unless the topic was logged recently. */
  public void warn(String topic, String message, Throwable error) {
    long now = System.nanoTime();
    if (lastByTopic.size() > MAX_TOPICS) {
      lastByTopic.clear();
    }
    Window w = lastByTopic.computeIfAbsent(topic, t -> new Window(now - INTERVAL_NANOS - 1));
    long last = w.lastLogged.get();
    if (now - last < INTERVAL_NANOS || !w.lastLogged.compareAndSet(last, now)) {
      w.suppressed.increment();
      return;
    }
    long suppressed = w.suppressed.sumThenReset();
    String suffix = suppressed > 0 ? " (" + suppressed + " similar messages suppressed)" : "";
    if (error != null) {
      log.warn(message + suffix, error);
    } else {
      log.warn(message + suffix);
    }
  }

  private static final class Window {
    final AtomicLong lastLogged;
    final LongAdder suppressed = new LongAdder();

    Window(long lastLogged) {
      this.lastLogged = new AtomicLong(lastLogged);
    }
  }
}
