package dev.tieredcache.agent.rules;

import java.util.List;
import java.util.Optional;

/**
 * A parsed, valid rules file: the settings of the agent and its rules. Immutable. Made by {@link RulesParser}.
 */
public final class RulesFile {

  /** The namespace of a file that does not set one. */
  static final String DEFAULT_NAMESPACE = "tiered-cache";

  private final String source;
  private final String namespace;
  private final String logLevel;
  private final RedisSettings redis;
  private final boolean backplane;
  private final MetricsSettings metrics;
  private final boolean watch;
  private final List<RuleSpec> rules;

  RulesFile(String source, String namespace, String logLevel, RedisSettings redis, boolean backplane,
      MetricsSettings metrics, boolean watch, List<RuleSpec> rules) {
    this.source = source;
    this.namespace = namespace;
    this.logLevel = logLevel;
    this.redis = redis;
    this.backplane = backplane;
    this.metrics = metrics;
    this.watch = watch;
    this.rules = List.copyOf(rules);
  }

  /** The file as it was named when parsed (a path, or the source name given). */
  public String source() {
    return source;
  }

  /** The prefix of every Redis key and of the backplane channel; {@code tiered-cache} unless set. */
  public String namespace() {
    return namespace;
  }

  /** The level of the agent's own log: one of error, warn, info, debug, trace; info unless set. */
  public String logLevel() {
    return logLevel;
  }

  /** How to reach Redis; empty when every rule caches in memory only. */
  public Optional<RedisSettings> redis() {
    return Optional.ofNullable(redis);
  }

  /** Whether instances tell each other about writes and evictions over Redis Pub/Sub; only true with Redis. */
  public boolean backplane() {
    return backplane;
  }

  /** Where metrics go. */
  public MetricsSettings metrics() {
    return metrics;
  }

  /** Whether the agent reloads the rules when the file changes; false unless set. */
  public boolean watch() {
    return watch;
  }

  /** Every rule, in file order; at least one. */
  public List<RuleSpec> rules() {
    return rules;
  }

  /** The rule with this name, if there is one. */
  public Optional<RuleSpec> rule(String name) {
    for (RuleSpec rule : rules) {
      if (rule.name().equals(name)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  /** A description for logs; not a stable format. */
  @Override
  public String toString() {
    return "RulesFile{" + source + ", namespace=" + namespace + ", " + rules.size() + " rules}";
  }
}
