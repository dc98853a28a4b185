package dev.tieredcache.it.apps;

/**
 * How a sample app tells the test what it saw: one {@code RESULT name=value} line on stdout per observation. Public
 * for the sample apps of other packages (the Redis ones in {@code dev.tieredcache.it.redisapps}).
 */
public final class Report {

  private Report() {}

  public static void result(String name, Object value) {
    System.out.println("RESULT " + name + "=" + value);
    System.out.flush();
  }

  /** Elapsed microseconds since a {@link System#nanoTime()} reading. */
  public static long microsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000;
  }

  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
