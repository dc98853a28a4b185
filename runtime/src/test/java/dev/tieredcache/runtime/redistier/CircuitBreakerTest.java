package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.redis.CircuitBreaker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §5: after repeated failures the breaker skips Redis for a while, then lets one probe through. */
class CircuitBreakerTest {

  private static final Duration OPEN_FOR = Duration.ofSeconds(1);
  private static final Duration MAX_OPEN_FOR = Duration.ofSeconds(4);
  private static final IOException FAILURE = new IOException("connection refused");

  private final ManualWallClock clock = new ManualWallClock();
  private final CircuitBreaker breaker = new CircuitBreaker("redis://test", clock, 5, OPEN_FOR, MAX_OPEN_FOR);
  private final ExecutorService callers = Executors.newFixedThreadPool(8);

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  @Test
  void opensAfterFiveFailuresInARow() {
    fail(4);
    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allows()).isTrue();

    fail(1);

    assertThat(breaker.isOpen()).isTrue();
    assertThat(breaker.allows()).isFalse();
  }

  @Test
  void successInBetweenStartsTheCountAgain() {
    fail(4);
    breaker.onSuccess();
    fail(4);

    assertThat(breaker.isOpen()).isFalse();
    assertThat(breaker.allows()).isTrue();
  }

  @Test
  void skipsRedisWhileOpen() {
    fail(5);

    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMillis(99));
      assertThat(breaker.allows()).as("%d ms after opening", (i + 1) * 99).isFalse();
    }
  }

  @Test
  void exactlyOneConcurrentCallerProbesWhenTheOpenPeriodEnds() throws Exception {
    for (int round = 0; round < 20; round++) {
      CircuitBreaker fresh = new CircuitBreaker("redis://test", clock, 5, OPEN_FOR, MAX_OPEN_FOR);
      for (int i = 0; i < 5; i++) {
        fresh.onFailure(FAILURE);
      }
      clock.advance(OPEN_FOR);

      assertThat(concurrentAllows(fresh, 8)).as("probes in round %d", round).isEqualTo(1);
      assertThat(fresh.allows()).as("another call while the probe runs").isFalse();
    }
  }

  @Test
  void successfulProbeClosesTheBreakerAndResetsTheOpenPeriod() throws Exception {
    fail(5);
    clock.advance(OPEN_FOR);
    assertThat(breaker.allows()).isTrue();

    breaker.onSuccess();

    assertThat(breaker.isOpen()).isFalse();
    assertThat(concurrentAllows(breaker, 8)).isEqualTo(8);
    fail(4);
    assertThat(breaker.isOpen()).as("a fresh count of failures").isFalse();
    fail(1);
    assertOpenFor(OPEN_FOR);
  }

  @Test
  void failedProbeReopensForTwiceAsLongUpToTheMaximum() {
    fail(5);
    assertOpenFor(Duration.ofSeconds(1));

    probeAndFail();
    assertOpenFor(Duration.ofSeconds(2));
    probeAndFail();
    assertOpenFor(Duration.ofSeconds(4));
    probeAndFail();
    assertOpenFor(MAX_OPEN_FOR);
    probeAndFail();
    assertOpenFor(MAX_OPEN_FOR);
  }

  @Test
  void aProbeThatNeverReportsBackIsReplacedAfterAnotherOpenPeriod() {
    fail(5);
    clock.advance(OPEN_FOR);
    assertThat(breaker.allows()).as("the probe, whose thread then dies without reporting").isTrue();

    clock.advance(OPEN_FOR.minusMillis(1));
    assertThat(breaker.allows()).as("while the lost probe may still report").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(breaker.allows()).as("a new probe").isTrue();
    breaker.onSuccess();

    assertThat(breaker.isOpen()).isFalse();
  }

  @Test
  void failuresOfCallsStartedBeforeTheBreakerOpenedDoNotExtendTheOpenPeriod() {
    fail(5);
    clock.advance(Duration.ofMillis(500));
    fail(3);

    clock.advance(Duration.ofMillis(500));
    assertThat(breaker.allows()).isTrue();
  }

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      breaker.onFailure(FAILURE);
    }
  }

  private void probeAndFail() {
    assertThat(breaker.allows()).as("the probe").isTrue();
    breaker.onFailure(FAILURE);
  }

  /** Asserts that the breaker, opened just now, skips Redis for exactly {@code period}, then lets a probe through. */
  private void assertOpenFor(Duration period) {
    assertThat(breaker.isOpen()).isTrue();
    clock.advance(period.minusMillis(1));
    assertThat(breaker.allows()).as("1 ms before the end of %s", period).isFalse();
    clock.advance(Duration.ofMillis(1));
  }

  /** How many of {@code n} threads calling {@link CircuitBreaker#allows()} at once are let through. */
  private int concurrentAllows(CircuitBreaker subject, int n) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(callers.submit(() -> {
        start.await();
        return subject.allows();
      }));
    }
    start.countDown();
    int allowed = 0;
    for (Future<Boolean> answer : answers) {
      if (answer.get(10, TimeUnit.SECONDS)) {
        allowed++;
      }
    }
    return allowed;
  }
}
