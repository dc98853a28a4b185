package dev.tieredcache.it.apps;

import java.lang.reflect.Method;

/**
 * The threads a sample app's callers run on: virtual threads on Java 21 and later, platform threads (daemons) before.
 * The sample apps are compiled for Java 17, so the virtual ones are made through reflection.
 */
public enum ThreadKind {
  VIRTUAL,
  PLATFORM;

  /** Virtual threads where the running Java has them. */
  public static ThreadKind available() {
    return Runtime.version().feature() >= 21 ? VIRTUAL : PLATFORM;
  }

  /** Starts a thread of this kind running {@code task}. */
  public Thread start(Runnable task) {
    if (this == PLATFORM) {
      Thread t = new Thread(task);
      t.setDaemon(true);
      t.start();
      return t;
    }
    try {
      Method startVirtualThread = Thread.class.getMethod("startVirtualThread", Runnable.class);
      return (Thread) startVirtualThread.invoke(null, task);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this Java (" + Runtime.version() + ") cannot start virtual threads", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
