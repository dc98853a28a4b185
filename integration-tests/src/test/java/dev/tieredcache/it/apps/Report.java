package dev.tieredcache.it.apps;

/** How a sample app tells the test what it saw: one {@code RESULT name=value} line on stdout per observation. */
final class Report {

  private Report() {}

  static void result(String name, Object value) {
    System.out.println("RESULT " + name + "=" + value);
    System.out.flush();
  }

  /** Elapsed microseconds since a {@link System#nanoTime()} reading. */
  static long microsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
