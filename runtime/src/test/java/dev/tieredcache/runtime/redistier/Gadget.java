package dev.tieredcache.runtime.redistier;

/**
 * Stands for a deserialization gadget: initialising or constructing it leaves a trace in {@link GadgetTrace}.
 * Tests name it only by string, so nothing loads it unless the codec does.
 */
final class Gadget {

  static {
    GadgetTrace.initialized = true;
  }

  private int charge;

  Gadget() {
    GadgetTrace.constructed = true;
  }
}
