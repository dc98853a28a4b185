package dev.tieredcache.runtime.redis;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.StateChangeLog;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps callers away from a Redis that keeps failing. After {@code threshold} failures in a row it opens: calls
 * skip Redis for a while (starting at {@code openFor}, doubling while probes fail, at most {@code maxOpenFor}).
 * Then one call is let through as a probe: success closes it, failure opens it again; a probe that reports neither
 * within another open period is given up, and the next call probes. Only changes of state are logged: opening at
 * WARN and closing at INFO, once each however many probes fail in between (those at DEBUG), and a breaker that keeps
 * opening and closing at most once a minute ({@link StateChangeLog}).
 */
public final class CircuitBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

  private final CacheClock clock;
  private final int threshold;
  private final long openForMs;
  private final long maxOpenForMs;
  private final String name;
  private final UnaryOperator<String> redact;

  private final AtomicInteger failuresInARow = new AtomicInteger();
  /** 0 when closed; otherwise the time before which calls skip Redis. */
  private final AtomicLong openUntil = new AtomicLong();
  private final AtomicLong currentOpenForMs;
  private final AtomicLong probeStartedAt = new AtomicLong();
  private final StateChangeLog changes;

  public CircuitBreaker(String name, CacheClock clock, int threshold, Duration openFor, Duration maxOpenFor) {
    this(name, clock, threshold, openFor, maxOpenFor, UnaryOperator.identity());
  }

  /**
   * A breaker whose log lines pass what failures say through {@code redact} (which hides the passwords of the
   * Redis settings); {@code name} must hold none.
   */
  public CircuitBreaker(String name, CacheClock clock, int threshold, Duration openFor, Duration maxOpenFor,
      UnaryOperator<String> redact) {
    this.redact = redact;
    this.name = name;
    this.clock = clock;
    this.threshold = threshold;
    this.openForMs = openFor.toMillis();
    this.maxOpenForMs = maxOpenFor.toMillis();
    this.currentOpenForMs = new AtomicLong(openForMs);
    this.changes = new StateChangeLog(LOG, clock, StateChangeLog.QUIET);
  }

  /** True if a call may go to Redis now (closed, or this caller is the probe of a half-open breaker). */
  public boolean allows() {
    long until = openUntil.get();
    if (until == 0) {
      return true;
    }
    long now = clock.millis();
    if (now < until) {
      return false;
    }
    // half-open: exactly one caller per open period becomes the probe; a probe that never reported back (its
    // thread died, or it is stuck) is replaced after another open period, so Redis is not skipped for good
    long started = probeStartedAt.get();
    boolean due = started < until || now - started >= currentOpenForMs.get();
    return due && probeStartedAt.compareAndSet(started, now);
  }

  public void onSuccess() {
    failuresInARow.set(0);
    if (openUntil.get() != 0) {
      openUntil.set(0);
      currentOpenForMs.set(openForMs);
      changes.ended(() -> "Redis " + name + " answers again; using it again");
    }
  }

  public void onFailure(Throwable cause) {
    int failures = failuresInARow.incrementAndGet();
    long until = openUntil.get();
    long now = clock.millis();
    if (until != 0) {
      if (now >= until) {
        // a failed probe: stay open, longer
        long next = Math.min(maxOpenForMs, currentOpenForMs.get() * 2);
        currentOpenForMs.set(next);
        if (openUntil.compareAndSet(until, now + next)) {
          LOG.debug("Redis {} still failing ({}); next probe in {} ms", name, describe(cause), next);
        }
      }
      return;
    }
    if (failures >= threshold && openUntil.compareAndSet(0, now + currentOpenForMs.get())) {
      long openFor = currentOpenForMs.get();
      changes.started(() -> "Redis " + name + " failed " + failures + " times in a row (last: " + describe(cause)
          + "); skipping it for " + openFor + " ms, then probing it again (logged once until it answers again)",
          null);
    }
  }

  /**
   * True while the breaker is open and no probe is due yet: a caller may give up on Redis at once. Unlike {@link
   * #allows()} it never makes the caller the probe.
   */
  public boolean skipsNow() {
    long until = openUntil.get();
    return until != 0 && clock.millis() < until;
  }

  public boolean isOpen() {
    return openUntil.get() != 0;
  }

  private String describe(Throwable cause) {
    if (cause == null) {
      return "unknown";
    }
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return redact.apply(root == cause ? cause.toString() : cause + " / " + root);
  }
}
