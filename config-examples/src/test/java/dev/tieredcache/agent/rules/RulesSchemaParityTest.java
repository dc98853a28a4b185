package dev.tieredcache.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schema editors use ({@code tiered-cache-rules.schema.json}) and the agent's parser know the same keys in every
 * section, and the same defaults, so that the two cannot drift apart: a key added to the parser fails here until the
 * schema has it too. In the parser's package, to read its key lists.
 */
class RulesSchemaParityTest {

  private static final Path SCHEMA_FILE = Path.of("tiered-cache-rules.schema.json");

  /** Each key list of the parser, and where the schema lists the same section's keys. */
  private static final Map<String, String> SECTIONS = sections();

  private static Map<String, String> sections() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("RulesParser.TOP_KEYS", "");
    s.put("RulesParser.RULE_KEYS", "/definitions/rule");
    s.put("RulesParser.REDIS_KEYS", "/definitions/redis");
    s.put("RulesParser.SENTINEL_KEYS", "/definitions/sentinel");
    s.put("RulesParser.TLS_KEYS", "/definitions/tls");
    s.put("RulesParser.METRICS_KEYS", "/definitions/metrics");
    s.put("RulesParser.EVICT_KEYS", "/definitions/evict");
    s.put("RulesParser.BATCH_KEYS", "/definitions/batch");
    s.put("PolicyReader.POLICY_KEYS", "/definitions/policy");
    return s;
  }

  @Test
  void schemaAndParserKnowTheSameKeysInEverySection() throws Exception {
    JsonNode schema = schema();
    Map<String, List<String>> parser = parserKeyLists();
    assertThat(parser.keySet()).as("the parser's key lists (static *_KEYS fields of RulesParser and PolicyReader);"
        + " a new one is a new section: add it to the schema and to SECTIONS here").isEqualTo(SECTIONS.keySet());
    SoftAssertions sections = new SoftAssertions();
    for (Map.Entry<String, String> section : SECTIONS.entrySet()) {
      JsonNode properties = schema.at(section.getValue() + "/properties");
      sections.assertThat(new TreeSet<>(properties.propertyNames()))
          .as("keys of %s/properties in %s against %s: every key the parser accepts is in the schema, with a"
              + " description and its default, and no other", section.getValue(), SCHEMA_FILE, section.getKey())
          .isEqualTo(new TreeSet<>(parser.get(section.getKey())));
    }
    sections.assertAll();
  }

  @Test
  void everyObjectOfTheSchemaForbidsUnknownKeys() throws IOException {
    List<String> open = new ArrayList<>();
    collectOpenObjects(schema(), "", open);
    assertThat(open).as("schema objects with properties but without additionalProperties: false").isEmpty();
  }

  /**
   * A file that writes every default the schema states gives the same settings as a file that leaves them all out.
   */
  @Test
  void defaultsInTheSchemaAreTheParsersDefaults() throws Exception {
    JsonNode schema = schema();
    String rule = "rules:\n  - name: price\n    method: com.acme.Catalog#price(java.lang.String)\n";
    String redis = "redis:\n  url: redis://127.0.0.1:6379\n";
    StringBuilder explicit = new StringBuilder();
    for (String key : List.of("namespace", "log-level", "backplane", "watch")) {
      explicit.append(key).append(": ").append(defaultOf(schema, "/properties/" + key)).append('\n');
    }
    explicit.append(redis).append("  timeout: ").append(defaultOf(schema, "/definitions/redis/properties/timeout"))
        .append('\n');
    explicit.append("metrics:\n");
    for (String key : List.of("jmx", "micrometer", "stats-interval")) {
      explicit.append("  ").append(key).append(": ")
          .append(defaultOf(schema, "/definitions/metrics/properties/" + key)).append('\n');
    }
    explicit.append("defaults:\n");
    for (String key : PolicyReader.POLICY_KEYS) {
      explicit.append("  ").append(key).append(": ")
          .append(defaultOf(schema, "/definitions/policy/properties/" + key)).append('\n');
    }
    explicit.append(rule);

    RulesFile written = RulesParser.parse("explicit.yaml", explicit.toString(), name -> null);
    RulesFile left = RulesParser.parse("left-out.yaml", redis + rule, name -> null);
    assertThat(settings(written)).as("the defaults written out:\n" + explicit).isEqualTo(settings(left));
  }

  private static String defaultOf(JsonNode schema, String pointer) {
    JsonNode value = schema.at(pointer + "/default");
    assertThat(value.isMissingNode()).as(pointer + " has a default in the schema").isFalse();
    return value.toString();
  }

  /**
   * What a file sets: its own settings and its first rule's policy. The policy is read by reflection because its
   * class is relocated in the shaded agent jar, which the tests get instead of the agent's classes in a full build.
   */
  private static List<String> settings(RulesFile file) throws ReflectiveOperationException {
    Object policy = RuleSpec.class.getMethod("policy").invoke(file.rules().get(0));
    List<String> settings = new ArrayList<>(List.of(file.namespace(), file.logLevel(), "backplane=" + file.backplane(),
        "watch=" + file.watch(), file.metrics().toString(), String.valueOf(file.redis().orElseThrow()),
        policy.toString()));
    for (String notInToString : List.of("copyOnRead", "distributedLock", "allowTypes")) {
      settings.add(notInToString + "=" + policy.getClass().getMethod(notInToString).invoke(policy));
    }
    return settings;
  }

  private static Map<String, List<String>> parserKeyLists() throws IllegalAccessException {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (Class<?> type : List.of(RulesParser.class, PolicyReader.class)) {
      for (Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_KEYS")
            && List.class.isAssignableFrom(field.getType())) {
          field.setAccessible(true);
          List<String> keys = new ArrayList<>();
          for (Object key : (List<?>) field.get(null)) {
            keys.add((String) key);
          }
          lists.put(type.getSimpleName() + "." + field.getName(), keys);
        }
      }
    }
    return lists;
  }

  private static void collectOpenObjects(JsonNode node, String pointer, List<String> open) {
    if (node.isObject()) {
      if (node.has("properties") && !(node.path("additionalProperties").isBoolean()
          && !node.path("additionalProperties").booleanValue()) && !isConstraintOnly(pointer)) {
        open.add(pointer.isEmpty() ? "/" : pointer);
      }
      for (Map.Entry<String, JsonNode> entry : node.properties()) {
        collectOpenObjects(entry.getValue(), pointer + "/" + entry.getKey(), open);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectOpenObjects(node.get(i), pointer + "/" + i, open);
      }
    }
  }

  /**
   * Subschemas under if/then/anyOf/not only narrow the values of an object that is closed where it is defined; an
   * {@code additionalProperties: false} there would forbid that object's other keys.
   */
  private static boolean isConstraintOnly(String pointer) {
    return pointer.matches(".*/(then|if|else|not|anyOf|oneOf|allOf)(/.*)?");
  }

  private static JsonNode schema() throws IOException {
    ObjectMapper json = JsonMapper.builder().build();
    return json.readTree(Files.readString(SCHEMA_FILE, StandardCharsets.UTF_8));
  }
}
