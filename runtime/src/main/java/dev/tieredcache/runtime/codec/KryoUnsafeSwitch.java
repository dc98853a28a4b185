package dev.tieredcache.runtime.codec;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps Kryo off {@code sun.misc.Unsafe} from Java 24 on, where the JVM prints a deprecation warning on the host's
 * stderr for any use of it. Kryo reads the switch, the system property {@code kryo.unsafe}, once, when its
 * {@code Util} class initialises; it is set only for that moment and put back, so a Kryo of the host's own (a
 * different class, as ours is relocated in the agent jar) is not affected. Costs the codec about 5-15% there.
 */
final class KryoUnsafeSwitch {

  private static final String PROPERTY = "kryo.unsafe";
  private static final ReentrantLock LOCK = new ReentrantLock();

  private KryoUnsafeSwitch() {}

  static void applyOnce() {
    if (Runtime.version().feature() < 24) {
      return;
    }
    // a lock, not synchronized: a class initialiser runs inside, and the callers may be virtual threads
    LOCK.lock();
    try {
      String before = System.getProperty(PROPERTY);
      if (before != null) {
        return;
      }
      System.setProperty(PROPERTY, "false");
      try {
        Class.forName(com.esotericsoftware.kryo.util.Util.class.getName(), true,
            KryoUnsafeSwitch.class.getClassLoader());
      } catch (ClassNotFoundException impossible) {
        // Kryo is a dependency of this module
      } finally {
        System.clearProperty(PROPERTY);
      }
    } finally {
      LOCK.unlock();
    }
  }
}
