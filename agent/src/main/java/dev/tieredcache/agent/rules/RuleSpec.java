package dev.tieredcache.agent.rules;

import dev.tieredcache.runtime.RulePolicy;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One rule of a rules file: which methods it names, how keys are made, and how values are cached, or, for an evict
 * rule, what it evicts. Immutable.
 */
public final class RuleSpec {

  private final String name;
  private final MethodPattern method;
  private final KeyTemplate key;
  private final java.util.List<TagTemplate> tags;
  private final RulePolicy policy;
  private final EvictSpec evict;
  private final BatchSpec batch;
  private final int line;
  private final int column;
  private final int methodLine;
  private final int methodColumn;

  RuleSpec(String name, MethodPattern method, KeyTemplate key, java.util.List<TagTemplate> tags, RulePolicy policy,
      EvictSpec evict, int line, int column, int methodLine, int methodColumn) {
    this(name, method, key, tags, policy, evict, null, line, column, methodLine, methodColumn);
  }

  RuleSpec(String name, MethodPattern method, KeyTemplate key, java.util.List<TagTemplate> tags, RulePolicy policy,
      EvictSpec evict, BatchSpec batch, int line, int column, int methodLine, int methodColumn) {
    this.batch = batch;
    this.name = name;
    this.method = method;
    this.key = key;
    this.tags = java.util.List.copyOf(tags);
    this.policy = policy;
    this.evict = evict;
    this.line = line;
    this.column = column;
    this.methodLine = methodLine;
    this.methodColumn = methodColumn;
  }

  /** The rule's name, unique in its file; made of letters, digits, '.', '_' and '-'. */
  public String name() {
    return name;
  }

  /** The methods the rule applies to. */
  public MethodPattern method() {
    return method;
  }

  /**
   * The key template; empty for the default key, made of every argument
   * ({@link KeyTemplate#allArguments(int)}). Always empty for an evict rule, whose key is in {@link #evict()}.
   */
  public Optional<KeyTemplate> key() {
    return Optional.ofNullable(key);
  }

  /** The rule's {@code tags:}, rendered when a value is written (SPEC §3 "Tags"); empty without, and for an evict rule. */
  public java.util.List<TagTemplate> tags() {
    return tags;
  }

  /**
   * How the rule caches: named after the rule, with the file's defaults and the rule's own keys applied. When the
   * file has no {@code redis:} section, the tiers are just memory. An evict rule, which caches nothing, gets the
   * file's defaults under its own name.
   */
  public RulePolicy policy() {
    return policy;
  }

  /** Present for an evict rule, which caches nothing itself and runs after its method returns normally. */
  public Optional<EvictSpec> evict() {
    return Optional.ofNullable(evict);
  }

  /**
   * Present for a batch rule (SPEC §3 "Batch rules"), which caches nothing of its own: each id goes through the
   * caching rule it names.
   */
  public Optional<BatchSpec> batch() {
    return Optional.ofNullable(batch);
  }

  /** True for a rule that keeps values of its own: neither an evict nor a batch rule. */
  public boolean cachesValues() {
    return evict == null && batch == null;
  }

  /** True for an evict rule. */
  public boolean isEvict() {
    return evict != null;
  }

  /** The 1-based line of the rule in its file. */
  public int line() {
    return line;
  }

  /** The 1-based column of the rule's first key in its file. */
  public int column() {
    return column;
  }

  /** The 1-based line of the {@code method:} value, where problems with the target method are reported. */
  int methodLine() {
    return methodLine;
  }

  int methodColumn() {
    return methodColumn;
  }

  /**
   * One line for people: the rule's name, method, key and how long values live, or what it evicts. What
   * {@code validate} prints for a valid file.
   */
  public String summary() {
    if (batch != null) {
      return "batch " + name + " -> " + batch + "  " + method;
    }
    if (evict != null) {
      return "evict " + name + " -> " + (evict.tag().isPresent() ? "tag " + evict.tag().get()
          : evict.ruleName() + evict.key().map(k -> " key=" + k).orElse(" all")) + "  "
          + method;
    }
    return name + "  " + method + "  key=" + (key != null ? key.toString() : "(all arguments)")
        + "  ttl=" + ValueSyntax.format(policy.ttl()) + " swr=" + ValueSyntax.format(policy.staleWhileRevalidate())
        + " sie=" + ValueSyntax.format(policy.staleIfError())
        + " tiers=" + policy.tiers().stream().map(PolicyReader::tierName).collect(Collectors.joining(", ", "[", "]"))
        + (tags.isEmpty() ? "" : "  tags=" + tags);
  }

  /** A description for logs; not a stable format. */
  @Override
  public String toString() {
    return "RuleSpec{" + name + ", " + method + (key != null ? ", key=" + key : "")
        + (evict != null ? ", evict " + evict : batch != null ? ", batch " + batch : ", " + policy) + "}";
  }
}
