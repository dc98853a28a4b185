package dev.tieredcache.runtime.redistier;

/** A harmless class whose binary name has the length of {@link Gadget}'s, to forge payloads naming the gadget. */
final class Widget {

  private int size;

  Widget() {}

  Widget(int size) {
    this.size = size;
  }
}
