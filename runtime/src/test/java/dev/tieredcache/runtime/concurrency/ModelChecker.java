package dev.tieredcache.runtime.concurrency;

import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;

/**
 * Runs a block under Lincheck's model checker: the block starts threads, and Lincheck runs it again and again,
 * choosing where each thread is switched out (at reads and writes of shared fields, locks, parks), until an
 * assertion fails, when it prints the interleaving that led there, or the budget of interleavings is spent.
 *
 * <p>Lincheck reports an interleaving that runs longer than 30 s as "has hung", and {@link Lincheck#runConcurrentTest}
 * offers no way to raise that limit. The first interleaving of a JVM also transforms every class it reaches
 * (Caffeine, the runtime, the JDK's concurrency classes): seconds on a free core, and past the limit when the
 * machine is loaded. So a run that reports a hang is run once more, with the classes now transformed. Lincheck
 * explores interleavings in the same order each run, so a real deadlock or livelock hangs again, and fails.
 */
final class ModelChecker {

  /**
   * Interleavings explored per test. Each runs a fresh rule, Caffeine included, under the checker: about 70 ms on a
   * free core, several times that on a loaded machine. {@code -Dtieredcache.interleavings=N} explores deeper.
   */
  static final int INTERLEAVINGS = Integer.getInteger("tieredcache.interleavings", 150);

  private ModelChecker() {}

  static void explore(Runnable block) {
    long started = System.nanoTime();
    try {
      Lincheck.runConcurrentTest(INTERLEAVINGS, block);
    } catch (LincheckAssertionError failure) {
      if (!reportsHang(failure)) {
        throw failure;
      }
      System.err.printf("Lincheck reported a hang after %d ms (a first run transforms the classes); running once more%n",
          (System.nanoTime() - started) / 1_000_000);
      Lincheck.runConcurrentTest(INTERLEAVINGS, block);
    }
  }

  private static boolean reportsHang(LincheckAssertionError failure) {
    String message = String.valueOf(failure.getMessage());
    return message.contains("has hung");
  }
}
