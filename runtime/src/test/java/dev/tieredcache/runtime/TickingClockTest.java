package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TickingClockTest {

  @Test
  void followsTheWallClockWithinAFewMilliseconds() {
    try (TickingClock clock = new TickingClock()) {
      long start = clock.millis();

      eventually().until(() -> clock.millis() > start);
      assertThat(Math.abs(clock.millis() - System.currentTimeMillis())).isLessThan(100);
    }
  }

  @Test
  void itsTickingThreadIsADaemonThatEndsWhenTheClockIsClosed() {
    Set<Thread> before = clockThreads();
    TickingClock clock = new TickingClock();
    Set<Thread> ticking = clockThreads();
    ticking.removeAll(before);
    assertThat(ticking).hasSize(1);
    Thread ticker = ticking.iterator().next();
    assertThat(ticker.isDaemon()).isTrue();

    clock.close();

    eventually().until(() -> !ticker.isAlive());
  }

  private static Set<Thread> clockThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("tiered-cache-clock") && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }
}
