package dev.tieredcache.examples;

import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A rules file as the JSON tree an editor's YAML language server checks against the schema: plain scalars are typed
 * by the YAML 1.2 core schema ({@code true}, {@code 10000} and {@code 0.8} are a boolean and numbers, {@code 5s},
 * {@code off} and {@code yes} are strings), quoted scalars are strings, and {@code ${VAR:-default}} stays as written.
 * The YAML is composed into nodes as the agent composes it, never constructed into objects.
 */
final class YamlTree {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
  private static final Pattern BOOLEAN = Pattern.compile("true|True|TRUE|false|False|FALSE");
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  private YamlTree() {}

  /** The tree of one YAML document; a missing document is JSON null. */
  static JsonNode of(String yamlText) {
    Node root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yamlText));
    return root == null ? JSON.nullNode() : toJson(root);
  }

  private static JsonNode toJson(Node node) {
    if (node instanceof MappingNode) {
      ObjectNode object = JSON.objectNode();
      for (NodeTuple entry : ((MappingNode) node).getValue()) {
        object.set(((ScalarNode) entry.getKeyNode()).getValue(), toJson(entry.getValueNode()));
      }
      return object;
    }
    if (node instanceof SequenceNode) {
      ArrayNode array = JSON.arrayNode();
      for (Node element : ((SequenceNode) node).getValue()) {
        array.add(toJson(element));
      }
      return array;
    }
    ScalarNode scalar = (ScalarNode) node;
    String text = scalar.getValue();
    if (scalar.getScalarStyle() != ScalarStyle.PLAIN) {
      return JSON.stringNode(text);
    }
    if (NULL.matcher(text).matches()) {
      return JSON.nullNode();
    }
    if (BOOLEAN.matcher(text).matches()) {
      return JSON.booleanNode(text.equalsIgnoreCase("true"));
    }
    if (INTEGER.matcher(text).matches()) {
      return JSON.numberNode(new BigInteger(text));
    }
    if (FLOAT.matcher(text).matches()) {
      return JSON.numberNode(new BigDecimal(text));
    }
    return JSON.stringNode(text);
  }
}
