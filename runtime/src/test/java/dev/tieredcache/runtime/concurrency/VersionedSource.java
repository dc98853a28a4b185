package dev.tieredcache.runtime.concurrency;

import dev.tieredcache.runtime.Upstream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data behind a cached method, and the method itself. An evicting method changes the data ({@link #change})
 * before its evict rule runs, so a value read before the change is the evicted one: every value carries the version
 * of the data it was read from, and the number of the read that produced it.
 */
final class VersionedSource implements Upstream {

  /** One value the method returned. */
  static final class Read {
    final int version;
    final int read;

    Read(int version, int read) {
      this.version = version;
      this.read = read;
    }

    @Override
    public String toString() {
      return "version " + version + " (read " + read + ")";
    }
  }

  /** What the method throws when {@link #failing} is set; one instance per read. */
  static final class ReadFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReadFailed(int read) {
      super("read " + read + " failed", null, false, false);
    }
  }

  private final AtomicInteger version = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();

  @Override
  public Object call(Object receiver, Object arguments) {
    int n = reads.incrementAndGet();
    if (failing.get()) {
      throw new ReadFailed(n);
    }
    return new Read(version.get(), n);
  }

  /** What the evicting method does before its evict rule runs: later reads see the new version. */
  void change() {
    version.incrementAndGet();
  }

  int version() {
    return version.get();
  }

  /** How many times the method ran, failed reads included. */
  int reads() {
    return reads.get();
  }

  void failing(boolean on) {
    failing.set(on);
  }
}
