package dev.tieredcache.bridge;

/**
 * The only code that instrumented methods call. It sits on the bootstrap class path, so classes of every class
 * loader reach it, and depends on nothing but the JDK; the agent installs the {@link Dispatcher} behind it. With
 * no dispatcher installed (before start-up, after detach) every call runs the original method.
 */
public final class CacheBridge {

  /** What {@link #enter} returns to serve a cached {@code null}. */
  public static final Object NULL = new Object();

  private static volatile Dispatcher dispatcher;

  private CacheBridge() {}

  /** Routes instrumented calls to {@code d}; {@code null} turns caching off. */
  public static void install(Dispatcher d) {
    dispatcher = d;
  }

  /** The dispatcher now installed, or {@code null}. */
  public static Dispatcher installed() {
    return dispatcher;
  }

  /**
   * Called on entry of a cached method.
   *
   * @return {@code null} to run the method as usual, a {@link Ticket} to run it and report the outcome, or the
   *     value to return without running it ({@link #NULL} for {@code null})
   */
  public static Object enter(int site, Class<?> origin, Object receiver, Object arguments) {
    Dispatcher d = dispatcher;
    return d == null ? null : d.enter(site, origin, receiver, arguments);
  }

  /** Called after a method with an evict rule returned normally. */
  public static void evict(int site, Class<?> origin, Object[] arguments) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.evict(site, origin, arguments);
    }
  }
}
