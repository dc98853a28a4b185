package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HitCounterTest {

  @Test
  void countsEveryIncrementOfEveryThreadExactly() throws InterruptedException {
    HitCounter counter = new HitCounter();
    int threads = 8;
    int each = 100_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        await(start);
        for (int i = 0; i < each; i++) {
          counter.increment();
        }
      });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    long previous = 0;
    while (running.stream().anyMatch(Thread::isAlive)) {
      long now = counter.sum();
      assertThat(now).as("a sum never goes back").isGreaterThanOrEqualTo(previous);
      previous = now;
    }
    for (Thread thread : running) {
      thread.join();
    }
    assertThat(counter.sum()).isEqualTo((long) threads * each);
  }

  @Test
  void theCellsOfEndedThreadsAreFoldedSoThreadChurnDoesNotGrowTheCounter() throws InterruptedException {
    HitCounter counter = new HitCounter();
    int threads = 3_000;
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        counter.increment();
        counter.increment();
      });
      thread.start();
      thread.join();
    }
    assertThat(counter.cells()).as("cells held before any sum").isLessThanOrEqualTo(256 + 1);
    counter.increment();
    assertThat(counter.sum()).isEqualTo(2L * threads + 1);
    assertThat(counter.cells()).as("only this thread's cell is left").isEqualTo(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
