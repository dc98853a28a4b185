package dev.tieredcache.runtime.concurrency;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * The refresh executor of a rule under test: background refreshes wait here until the test runs them on a thread of
 * its own, which the model checker then interleaves with the others.
 */
final class HeldRefreshes implements Executor {

  private final Queue<Runnable> held = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable refresh) {
    held.add(refresh);
  }

  synchronized int size() {
    return held.size();
  }

  /** Runs the oldest held refresh on the calling thread. */
  void runNext() {
    Runnable next;
    synchronized (this) {
      next = held.remove();
    }
    next.run();
  }
}
