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

  /**
   * {@link #enter} for a method of two parameters, passed one by one: each either as an object ({@code bits} 0) or,
   * when it is a {@code long} or narrower integer, as {@code bits} (the object {@code null}). No argument array is
   * built and no integer boxed for a call the cache answers.
   */
  public static Object enter2(int site, Class<?> origin, Object receiver, Object first, long firstBits,
      Object second, long secondBits) {
    Dispatcher d = dispatcher;
    return d == null ? null
        : d.enterEach(site, origin, receiver, 2, first, firstBits, second, secondBits, null, 0L);
  }

  /**
   * {@link #enter} for a method whose one parameter is a {@code long}, {@code int}, {@code short} or {@code byte},
   * passed widened to a {@code long}: a hit boxes nothing.
   */
  public static Object enterLong(int site, Class<?> origin, Object receiver, long argument) {
    Dispatcher d = dispatcher;
    return d == null ? null : d.enterLong(site, origin, receiver, argument);
  }

  /** {@link #enter2} for a method of three parameters. */
  public static Object enter3(int site, Class<?> origin, Object receiver, Object first, long firstBits,
      Object second, long secondBits, Object third, long thirdBits) {
    Dispatcher d = dispatcher;
    return d == null ? null
        : d.enterEach(site, origin, receiver, 3, first, firstBits, second, secondBits, third, thirdBits);
  }

  /** Called after a method with an evict rule returned normally. */
  public static void evict(int site, Class<?> origin, Object[] arguments) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.evict(site, origin, arguments);
    }
  }
}
