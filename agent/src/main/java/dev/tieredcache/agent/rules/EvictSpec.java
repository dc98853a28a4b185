package dev.tieredcache.agent.rules;

import java.util.Optional;

/**
 * What an evict rule removes after its method returns normally: one key of another rule, or all its entries.
 * Exactly one of {@link #key()} and {@link #all()} is set. Immutable.
 */
public final class EvictSpec {

  private final String ruleName;
  private final KeyTemplate key;
  private final boolean all;

  EvictSpec(String ruleName, KeyTemplate key, boolean all) {
    this.ruleName = ruleName;
    this.key = key;
    this.all = all;
  }

  /** The caching rule whose entries are removed; it exists in the same file and is not an evict rule. */
  public String ruleName() {
    return ruleName;
  }

  /** The key to remove, made from the evicting method's arguments; empty when {@link #all()} is true. */
  public Optional<KeyTemplate> key() {
    return Optional.ofNullable(key);
  }

  /** True when every entry of the rule is removed. */
  public boolean all() {
    return all;
  }

  /** A description for logs: {@code product key={0.id}} or {@code product all}. */
  @Override
  public String toString() {
    return ruleName + (all ? " all" : " key=" + key);
  }
}
