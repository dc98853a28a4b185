package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HitCounterTest {

  @Test
  void countsOneThreadExactly() {
    HitCounter counter = new HitCounter(4);
    for (int i = 0; i < 1_000; i++) {
      counter.increment();
    }
    assertThat(counter.sum()).isEqualTo(1_000);
  }

  @Test
  void countsManyMoreThreadsThanStripesExactlyWhileTheyRun() throws InterruptedException {
    HitCounter counter = new HitCounter(2);
    int threads = 16;
    int each = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch counted = new CountDownLatch(threads);
    CountDownLatch finish = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        await(start);
        for (int i = 0; i < each; i++) {
          counter.increment();
        }
        counted.countDown();
        // still alive while the sum is read: the stripes stay owned
        await(finish);
      });
      thread.start();
      running.add(thread);
    }
    start.countDown();
    counted.await();
    assertThat(counter.sum()).isEqualTo((long) threads * each);
    finish.countDown();
    for (Thread thread : running) {
      thread.join();
    }
    assertThat(counter.sum()).isEqualTo((long) threads * each);
  }

  @Test
  void keepsTheCountOfEndedOwnersAndFreesTheirStripes() throws InterruptedException {
    HitCounter counter = new HitCounter(1);
    long expected = 0;
    // one stripe, owned in turn by short-lived threads: each ends, a read retires its count, the next claims it
    for (int round = 0; round < 20; round++) {
      int hits = 100 + round;
      Thread owner = new Thread(() -> {
        for (int i = 0; i < hits; i++) {
          counter.increment();
        }
      });
      owner.start();
      owner.join();
      expected += hits;
      assertThat(counter.sum()).as("after round %d", round).isEqualTo(expected);
    }
    for (int i = 0; i < 7; i++) {
      counter.increment();
    }
    assertThat(counter.sum()).isEqualTo(expected + 7);
  }

  @Test
  void readsConcurrentWithWritersNeverGoBackwards() throws InterruptedException {
    HitCounter counter = new HitCounter(2);
    int writers = 4;
    int each = 200_000;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < writers; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          counter.increment();
        }
      });
      threads.add(thread);
      thread.start();
    }
    long last = 0;
    boolean anyAlive = true;
    while (anyAlive) {
      long now = counter.sum();
      assertThat(now).isGreaterThanOrEqualTo(last).isLessThanOrEqualTo((long) writers * each);
      last = now;
      anyAlive = threads.stream().anyMatch(Thread::isAlive);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(counter.sum()).isEqualTo((long) writers * each);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
