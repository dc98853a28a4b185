package dev.tieredcache.agent.rules;

import dev.tieredcache.runtime.redis.RedisUrl;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One mapping of the rules file (the top level, a rule, {@code redis:}, ...) with its keys checked against the keys
 * that level knows. Reading a value never throws: a problem is recorded with its position and the value is absent,
 * so that the walk goes on and every problem is reported.
 */
final class MappingReader {

  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  private final ErrorCollector errors;
  private final Function<String, String> env;

  /**
   * Reads the keys of {@code node}, recording unknown and duplicate keys.
   *
   * @param node a mapping, or an empty value standing for an empty section
   * @param knownKeys the keys this level accepts, in the order they are listed in hints
   * @param misplaced keys that belong elsewhere, with the message to give when one is written here
   */
  MappingReader(Node node, Collection<String> knownKeys, Map<String, String> misplaced, ErrorCollector errors,
      Function<String, String> env) {
    this.node = node;
    this.errors = errors;
    this.env = env;
    if (!(node instanceof MappingNode)) {
      return;
    }
    for (NodeTuple tuple : ((MappingNode) node).getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode)) {
        errors.at(keyNode, "a key must be a plain name, not " + describe(keyNode));
        continue;
      }
      String key = ((ScalarNode) keyNode).getValue();
      NodeTuple first = entries.get(key);
      if (first != null) {
        errors.at(keyNode, "duplicate key '" + key + "' (first at line "
            + (first.getKeyNode().getStartMark().getLine() + 1) + "); remove one of them");
      } else if (knownKeys.contains(key)) {
        entries.put(key, tuple);
      } else if (misplaced.containsKey(key)) {
        errors.at(keyNode, misplaced.get(key));
      } else {
        errors.at(keyNode, "unknown key '" + key + "' " + ClosestName.to(key, knownKeys)
            .map(k -> "(did you mean '" + k + "'?)")
            .orElse("(known keys: " + String.join(", ", knownKeys) + ")"));
      }
    }
  }

  /** True when the mapping node is an empty value ({@code redis:} with nothing under it). */
  static boolean isEmptyValue(Node node) {
    return node instanceof ScalarNode && (node.getTag().equals(Tag.NULL) || ((ScalarNode) node).getValue().isEmpty());
  }

  /** How a node is named in messages. */
  static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + RedisUrl.mask(((ScalarNode) node).getValue()) + "'";
  }

  /** The mapping itself, where errors about missing keys are reported. */
  Node node() {
    return node;
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The key node of a known key that is present. */
  Node keyNode(String key) {
    return entries.get(key).getKeyNode();
  }

  /** The value node of a known key, if present. */
  Optional<Node> valueNode(String key) {
    NodeTuple tuple = entries.get(key);
    return tuple == null ? Optional.empty() : Optional.of(tuple.getValueNode());
  }

  /** The keys present, in file order. */
  Collection<String> keys() {
    return entries.keySet();
  }

  /** The text of a single value, after {@code ${VAR}} substitution; absent if missing or wrong. */
  Optional<String> text(String key) {
    return valueNode(key).flatMap(value -> scalar(key, value));
  }

  /**
   * The text of a scalar node (a value, or an element of a list), after substitution.
   *
   * @param what how the value is named in messages: the key, or "an element of 'tiers'"
   */
  Optional<String> scalar(String what, Node value) {
    if (!(value instanceof ScalarNode)) {
      errors.at(value, "'" + what + "' must be a single value, not " + describe(value));
      return Optional.empty();
    }
    if (value.getTag().equals(Tag.NULL)) {
      errors.at(value, "'" + what + "' has no value; give it one or leave the key out");
      return Optional.empty();
    }
    String text;
    try {
      text = EnvSubstitution.expand(((ScalarNode) value).getValue(), env);
    } catch (IllegalArgumentException e) {
      errors.at(value, e.getMessage());
      return Optional.empty();
    }
    if (text.trim().isEmpty()) {
      errors.at(value, "'" + what + "' has no value; give it one or leave the key out");
      return Optional.empty();
    }
    return Optional.of(text.trim());
  }

  /**
   * A value that may be a secret (a password, a user name): after {@code ${VAR}} substitution, kept exactly (not
   * trimmed), and absent without an error when empty, so that {@code ${REDIS_PASSWORD:-}} means "none". No message
   * ever quotes it.
   */
  Optional<String> secret(String key) {
    Optional<Node> valueNode = valueNode(key);
    if (valueNode.isEmpty()) {
      return Optional.empty();
    }
    Node value = valueNode.get();
    if (!(value instanceof ScalarNode)) {
      errors.at(value, "'" + key + "' must be a single value, not " + describe(value)
          + (value instanceof MappingNode ? " (quote a value that starts with { or [)" : ""));
      return Optional.empty();
    }
    if (value.getTag().equals(Tag.NULL)) {
      return Optional.empty();
    }
    try {
      String text = EnvSubstitution.expand(((ScalarNode) value).getValue(), env);
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IllegalArgumentException e) {
      errors.at(value, e.getMessage());
      return Optional.empty();
    }
  }

  /** A value parsed by {@code parse}, whose {@link IllegalArgumentException} message becomes the error. */
  <T> Optional<T> value(String key, Function<String, T> parse) {
    Optional<Node> valueNode = valueNode(key);
    if (valueNode.isEmpty()) {
      return Optional.empty();
    }
    return scalar(key, valueNode.get()).flatMap(text -> parsed(valueNode.get(), text, parse));
  }

  /** Parses already-read text, recording a failure at {@code at}. */
  <T> Optional<T> parsed(Node at, String text, Function<String, T> parse) {
    try {
      return Optional.of(parse.apply(text));
    } catch (IllegalArgumentException e) {
      errors.at(at, e.getMessage());
      return Optional.empty();
    }
  }

  Optional<Boolean> bool(String key) {
    return value(key, ValueSyntax::bool);
  }

  Optional<Duration> duration(String key) {
    return value(key, ValueSyntax::duration);
  }

  /**
   * A nested section. An empty value counts as an empty section.
   *
   * @param knownKeys the keys the section accepts
   */
  Optional<MappingReader> section(String key, List<String> knownKeys, Map<String, String> misplaced) {
    Optional<Node> valueNode = valueNode(key);
    if (valueNode.isEmpty()) {
      return Optional.empty();
    }
    Node value = valueNode.get();
    if (!(value instanceof MappingNode) && !isEmptyValue(value)) {
      errors.at(value, "'" + key + "' must hold keys (" + String.join(":, ", knownKeys) + ":), not "
          + describe(value));
      return Optional.empty();
    }
    return Optional.of(new MappingReader(value, knownKeys, misplaced, errors, env));
  }

  /** The elements of a list value. */
  Optional<List<Node>> list(String key, String example) {
    Optional<Node> valueNode = valueNode(key);
    if (valueNode.isEmpty()) {
      return Optional.empty();
    }
    Node value = valueNode.get();
    if (!(value instanceof SequenceNode)) {
      errors.at(value, "'" + key + "' must be a list, like " + example + ", not " + describe(value));
      return Optional.empty();
    }
    return Optional.of(((SequenceNode) value).getValue());
  }
}
