package dev.tieredcache.runtime;

import java.security.AccessController;
import java.security.PrivilegedAction;

/**
 * A daemon thread of the background refresh pool. The pool starts one when a call finds a stale value, on the
 * caller's thread, so nothing of that thread is carried over: not its inheritable thread-locals, its context class
 * loader or (before Java 24) its access-control context, any of which would keep a web application's class loader
 * reachable from a thread that outlives its undeployment.
 */
final class RefreshWorker extends Thread {

  private RefreshWorker(Runnable task, String name) {
    super(null, task, name, 0, false);
    setDaemon(true);
    setContextClassLoader(RefreshWorker.class.getClassLoader());
  }

  /** A worker for {@code task}, made without the access-control context of the host code on the caller's stack. */
  @SuppressWarnings("removal")
  static Thread create(Runnable task, String name) {
    return AccessController.doPrivileged((PrivilegedAction<Thread>) () -> new RefreshWorker(task, name));
  }
}
