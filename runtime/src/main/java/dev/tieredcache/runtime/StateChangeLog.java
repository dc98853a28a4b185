package dev.tieredcache.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The log of a condition that comes and goes (Redis skipped by the circuit breaker, the backplane's subscription
 * lost, unreadable values in Redis): one WARN when it starts and one INFO when it ends, however many calls or retries
 * see it meanwhile; those go to DEBUG. A condition that keeps coming back is rate-limited: a start within the quiet
 * period of the last one logged is logged at DEBUG, with its end, and the next start logged says how many went by.
 */
public final class StateChangeLog {

  /** The default quiet period: a condition that flaps shows once a minute at most. */
  public static final Duration QUIET = Duration.ofMinutes(1);

  private final Logger log;
  private final CacheClock clock;
  private final long quietMs;
  private final AtomicBoolean on = new AtomicBoolean();
  /** When the last start was logged at WARN; {@code Long.MIN_VALUE} before the first. */
  private final AtomicLong lastLoggedStart = new AtomicLong(Long.MIN_VALUE);
  /** Whether the current (or last) start was logged at WARN, so that its end is logged at INFO. */
  private volatile boolean startLogged;
  private final LongAdder unloggedStarts = new LongAdder();

  public StateChangeLog(Logger log, CacheClock clock, Duration quiet) {
    this.log = log;
    this.clock = clock;
    this.quietMs = quiet.toMillis();
  }

  /** True while the condition holds (since {@link #started} until {@link #ended}). */
  public boolean isOn() {
    return on.get();
  }

  /**
   * The condition holds: logs {@code warning} at WARN if it did not hold before and no start was logged within the
   * quiet period; at DEBUG otherwise ({@code again} then, when not null, says what this repeat was).
   *
   * @return true if this call changed the state
   */
  public boolean started(Supplier<String> warning, Supplier<String> again) {
    if (!on.compareAndSet(false, true)) {
      if (again != null && log.isDebugEnabled()) {
        log.debug(again.get());
      }
      return false;
    }
    long now = clock.millis();
    long last = lastLoggedStart.get();
    if (last != Long.MIN_VALUE && now - last < quietMs || !lastLoggedStart.compareAndSet(last, now)) {
      startLogged = false;
      unloggedStarts.increment();
      if (log.isDebugEnabled()) {
        log.debug(warning.get() + " (again within " + quietMs / 1000 + " s: at debug level)");
      }
      return true;
    }
    startLogged = true;
    long unlogged = unloggedStarts.sumThenReset();
    log.warn(unlogged == 0 ? warning.get()
        : warning.get() + " (it also started and ended " + unlogged + " times since the last such line)");
    return true;
  }

  /**
   * The condition no longer holds: logs {@code info} at INFO if it held and its start was logged at WARN, at DEBUG
   * otherwise; nothing if it did not hold.
   *
   * @return true if this call changed the state
   */
  public boolean ended(Supplier<String> info) {
    if (!on.compareAndSet(true, false)) {
      return false;
    }
    if (startLogged) {
      log.info(info.get());
    } else if (log.isDebugEnabled()) {
      log.debug(info.get());
    }
    return true;
  }
}
