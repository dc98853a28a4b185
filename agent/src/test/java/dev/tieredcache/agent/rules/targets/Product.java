package dev.tieredcache.agent.rules.targets;

/** A value with a getter, a boolean getter, a field-only property and a nested property. */
public class Product {

  private final long id;
  private final Owner owner;
  private final boolean active;

  public Product(long id, Owner owner, boolean active) {
    this.id = id;
    this.owner = owner;
    this.active = active;
  }

  public long getId() {
    return id;
  }

  public Owner getOwner() {
    return owner;
  }

  public boolean isActive() {
    return active;
  }
}
