package dev.tieredcache.runtime.concurrency;

import org.jetbrains.lincheck.Lincheck;

/**
 * Runs a block under Lincheck's model checker: the block starts threads, and Lincheck runs it again and again,
 * choosing where each thread is switched out (at reads and writes of shared fields, locks, parks), until an
 * assertion fails, when it prints the interleaving that led there, or the budget of interleavings is spent.
 */
final class ModelChecker {

  /**
   * Interleavings explored per test. Each runs a fresh rule, Caffeine included, under the checker: about 70 ms on a
   * free core, several times that on a loaded machine, plus some seconds for the first one of each test, which
   * instruments the classes. {@code -Dtieredcache.interleavings=N} explores deeper.
   */
  static final int INTERLEAVINGS = Integer.getInteger("tieredcache.interleavings", 150);

  private ModelChecker() {}

  static void explore(Runnable block) {
    Lincheck.runConcurrentTest(INTERLEAVINGS, block);
  }
}
