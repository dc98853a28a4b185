package dev.tieredcache.agent.rules.targets;

/** Has a property that is only a field, and one read record-style. */
public class Owner {

  private final String name;
  private final String region;

  public Owner(String name, String region) {
    this.name = name;
    this.region = region;
  }

  public String region() {
    return region;
  }

  @Override
  public String toString() {
    return name + "@" + region;
  }
}
