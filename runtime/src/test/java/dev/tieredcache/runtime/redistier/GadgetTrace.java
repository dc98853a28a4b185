package dev.tieredcache.runtime.redistier;

/** Traces left by {@link Gadget}; a class of its own so that reading them does not initialise it. */
final class GadgetTrace {

  static volatile boolean initialized;
  static volatile boolean constructed;

  private GadgetTrace() {}
}
