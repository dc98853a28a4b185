package dev.tieredcache.agent.rules.targets;

/** Declares toString(): usable as a key. */
public class Labelled {

  @Override
  public String toString() {
    return "labelled";
  }
}
