package dev.tieredcache.agent.rules.targets;

/** An abstract class with an abstract and a concrete method. */
public abstract class AbstractStore {

  public abstract String load(String key);

  public String describe(String key) {
    return "store " + key;
  }
}
