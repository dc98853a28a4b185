package dev.tieredcache.agent.rules;

import java.util.Optional;

/**
 * What an evict rule removes after its method returns normally: one key of another rule, or all its entries.
 * Exactly one of {@link #key()} and {@link #all()} is set, unless it evicts by {@link #tag()} instead. Immutable.
 */
public final class EvictSpec {

  private final String ruleName;
  private final KeyTemplate key;
  private final boolean all;
  private final KeyTemplate tag;

  EvictSpec(String ruleName, KeyTemplate key, boolean all) {
    this(ruleName, key, all, null);
  }

  private EvictSpec(String ruleName, KeyTemplate key, boolean all, KeyTemplate tag) {
    this.ruleName = ruleName;
    this.key = key;
    this.all = all;
    this.tag = tag;
  }

  /** An evict by tag: every entry that carried the rendered tag when written, in every rule (SPEC §3 "Tags"). */
  static EvictSpec ofTag(KeyTemplate tag) {
    return new EvictSpec(null, null, false, tag);
  }

  /** The tag to evict, made from the evicting method's arguments; present for an evict by tag only. */
  public Optional<KeyTemplate> tag() {
    return Optional.ofNullable(tag);
  }

  /**
   * The caching rule whose entries are removed; it exists in the same file and is not an evict rule. {@code null}
   * for an evict by {@link #tag()}.
   */
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
    return tag != null ? "tag=" + tag : ruleName + (all ? " all" : " key=" + key);
  }
}
