package dev.tieredcache.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exact counter for the fresh-hit path that takes no locked instruction per increment: each thread adds to a
 * cell of its own with a plain (opaque) store, and {@link #sum()} adds the cells up. A {@code LongAdder}'s
 * uncontended increment is a compare-and-set, about a third of a whole memory hit.
 *
 * <p>A thread's cell is found through a {@link ThreadLocal}. The cells of threads that have ended are folded into
 * {@code retired} (by {@link #sum()}, and every {@value #FOLD_EVERY} new cells), so the set of cells stays about
 * as large as the set of live threads that have counted, however many threads come and go (virtual threads,
 * one per request).
 */
final class HitCounter {

  private static final int FOLD_EVERY = 256;
  private static final VarHandle COUNT;

  static {
    try {
      COUNT = MethodHandles.lookup().findVarHandle(Cell.class, "count", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ThreadLocal<Cell> cells = ThreadLocal.withInitial(this::newCell);
  private final ConcurrentLinkedQueue<Cell> live = new ConcurrentLinkedQueue<>();
  private final AtomicInteger created = new AtomicInteger();
  /** Guards {@code retired} and the folding of cells out of {@code live}. */
  private final ReentrantLock folding = new ReentrantLock();
  private long retired;

  void increment() {
    Cell cell = cells.get();
    COUNT.setOpaque(cell, (long) COUNT.getOpaque(cell) + 1);
  }

  /** The exact count: every increment that returned before this call began is in it. */
  long sum() {
    folding.lock();
    try {
      long total = retired;
      for (Iterator<Cell> it = live.iterator(); it.hasNext(); ) {
        Cell cell = it.next();
        long count = (long) COUNT.getOpaque(cell);
        if (cell.ended()) {
          // the thread has ended, so the cell is final: fold it
          retired += count;
          it.remove();
        }
        total += count;
      }
      return total;
    } finally {
      folding.unlock();
    }
  }

  private Cell newCell() {
    Cell cell = new Cell(Thread.currentThread());
    live.add(cell);
    if (created.incrementAndGet() % FOLD_EVERY == 0 && folding.tryLock()) {
      try {
        for (Iterator<Cell> it = live.iterator(); it.hasNext(); ) {
          Cell each = it.next();
          if (each.ended()) {
            retired += (long) COUNT.getOpaque(each);
            it.remove();
          }
        }
      } finally {
        folding.unlock();
      }
    }
    return cell;
  }

  /** How many threads' cells are held (for tests: it must stay bounded as threads come and go). */
  int cells() {
    return live.size();
  }

  private static final class Cell {
    private final WeakReference<Thread> owner;
    @SuppressWarnings("unused") // through COUNT
    private long count;

    Cell(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }

    /**
     * Whether the owning thread has ended: its last increment is then visible here, since a thread's end
     * happens-before another thread learns of it through {@code isAlive()} returning false.
     */
    boolean ended() {
      Thread thread = owner.get();
      return thread == null || !thread.isAlive();
    }
  }
}
