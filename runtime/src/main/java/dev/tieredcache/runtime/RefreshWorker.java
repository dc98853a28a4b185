package dev.tieredcache.runtime;

/** A daemon thread of the background refresh pool. */
final class RefreshWorker extends Thread {

  RefreshWorker(Runnable task, String name) {
    super(task, name);
    setDaemon(true);
  }
}
