package dev.tieredcache.agent.rules;

import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.RulePolicy.TierKind;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.redis.RedisTls;
import dev.tieredcache.runtime.redis.RedisUrl;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a rules file (product contract §3) into a {@link RulesFile}, or reports every problem in it at once, each
 * with its line and column.
 *
 * <p>The YAML is only composed into a node tree, never constructed into objects, so a file cannot make the agent
 * instantiate anything; the tree is walked here, which also gives every value its position.
 */
public final class RulesParser {

  static final List<String> TOP_KEYS = List.of(
      "namespace", "log-level", "redis", "backplane", "metrics", "watch", "defaults", "rules");
  static final List<String> RULE_KEYS = concat(List.of("name", "method", "key", "tags", "evict", "batch"),
      PolicyReader.POLICY_KEYS);
  static final List<String> REDIS_KEYS =
      List.of("url", "sentinel", "cluster", "username", "password", "tls", "timeout", "max-value-size");
  static final List<String> SENTINEL_KEYS = List.of("master", "nodes", "password");
  static final List<String> TLS_KEYS = List.of("trust-store", "trust-store-password", "verify-hostname");
  static final List<String> METRICS_KEYS = List.of("jmx", "prometheus", "micrometer", "stats-interval");
  static final List<String> EVICT_KEYS = List.of("rule", "key", "all", "tag");
  static final List<String> BATCH_KEYS = List.of("rule", "key", "ids");
  static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

  /** Namespaces and rule names go into Redis keys and metric names, so they keep to a safe alphabet. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private static final String METHOD_EXAMPLE = "com.acme.Catalog#price(java.lang.String)";
  private static final String EVICT_EXAMPLE = "evict: {rule: product, key: \"{0}\"}";
  private static final String BATCH_EXAMPLE = "batch: {rule: product, key: \"{id}\"}";
  private static final Pattern IDS_ARGUMENT = Pattern.compile("\\{([0-9]{1,3})\\}");
  private static final String TAG_EVICT_EXAMPLE = "evict: {tag: \"category:{0}\"}";
  private static final String TAGS_EXAMPLE = "tags: [\"product:{0}\", \"category:{result.categoryId}\"]";
  private static final String NO_RULES = "no rules: list; the file needs at least one rule";

  private static final Map<String, String> TOP_MISPLACED = misplacedAtTop();
  private static final Map<String, String> RULE_MISPLACED = misplacedInRule();
  private static final Map<String, String> DEFAULTS_MISPLACED = misplacedInDefaults();

  private final String source;
  private final Function<String, String> env;
  private final ErrorCollector errors;

  private RulesParser(String source, Function<String, String> env) {
    this.source = source;
    this.env = env;
    this.errors = new ErrorCollector(source);
  }

  /**
   * Reads a rules file, taking {@code ${VAR}} values from the process environment.
   *
   * @throws RulesException with every problem, when the file cannot be read or is not valid
   */
  public static RulesFile parse(Path file) throws RulesException {
    return parse(file, System::getenv);
  }

  /**
   * Reads a rules file, taking {@code ${VAR}} values from {@code env} (a name to its value, or null): the command
   * line checks a file with the environment of the JVM it will run in.
   *
   * @throws RulesException with every problem, when the file cannot be read or is not valid
   */
  public static RulesFile parse(Path file, Function<String, String> env) throws RulesException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (NoSuchFileException e) {
      throw new RulesException(List.of(new RulesError(file.toString(), 1, 1, "cannot read the rules file: it does"
          + " not exist")));
    } catch (CharacterCodingException e) {
      throw new RulesException(List.of(new RulesError(file.toString(), 1, 1, "the rules file is not UTF-8 text;"
          + " save it as UTF-8")));
    } catch (IOException e) {
      throw new RulesException(List.of(new RulesError(file.toString(), 1, 1, "cannot read the rules file: " + e)));
    }
    return parse(file.toString(), text, env);
  }

  /**
   * Reads rules from text.
   *
   * @param sourceName how the file is named in errors and in {@link RulesFile#source()}
   * @param yamlText the file's content
   * @param env the environment for {@code ${VAR}} and {@code ${VAR:-default}}: a name to its value, or null
   * @throws RulesException with every problem, in file order
   */
  public static RulesFile parse(String sourceName, String yamlText, Function<String, String> env)
      throws RulesException {
    return new RulesParser(sourceName, env).read(yamlText);
  }

  private RulesFile read(String yamlText) throws RulesException {
    Node root;
    try {
      String text = yamlText.startsWith("\uFEFF") ? yamlText.substring(1) : yamlText;
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      errors.at(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark(), yamlProblem(e));
      throw errors.toException();
    } catch (YAMLException e) {
      errors.at(1, 1, "invalid YAML: " + e.getMessage());
      throw errors.toException();
    }
    if (root == null) {
      errors.at(1, 1, NO_RULES);
      throw errors.toException();
    }
    if (!(root instanceof MappingNode)) {
      errors.at(root, "the rules file must be a mapping with a rules: list at the top level, not "
          + MappingReader.describe(root));
      throw errors.toException();
    }
    MappingReader top = new MappingReader(root, TOP_KEYS, TOP_MISPLACED, errors, env);

    String namespace = top.value("namespace", text -> name(text, "namespace")).orElse(RulesFile.DEFAULT_NAMESPACE);
    String logLevel = top.value("log-level", RulesParser::logLevel).orElse("info");
    RedisSettings redis = readRedis(top);
    boolean hasRedis = top.has("redis");
    boolean backplane = top.bool("backplane").orElse(false);
    if (backplane && !hasRedis) {
      errors.at(top.valueNode("backplane").get(), "backplane needs a redis: section; add one, or remove"
          + " backplane: true");
    }
    MetricsSettings metrics = readMetrics(top);
    boolean watch = top.bool("watch").orElse(false);

    PolicyReader policies = new PolicyReader(errors, hasRedis);
    RulePolicy.Builder base = RulePolicy.builder();
    if (!hasRedis) {
      base.tiers(List.of(TierKind.MEMORY));
    }
    top.section("defaults", PolicyReader.POLICY_KEYS, DEFAULTS_MISPLACED).ifPresent(d -> policies.apply(d, base));
    RulePolicy defaults = base.build();

    List<RuleSpec> rules = readRules(top, root, policies, defaults);
    if (!errors.isEmpty()) {
      throw errors.toException();
    }
    return new RulesFile(source, namespace, logLevel, redis, backplane, metrics, watch, rules);
  }

  private static String yamlProblem(MarkedYAMLException e) {
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    StringBuilder sb = new StringBuilder("invalid YAML: ").append(problem);
    if (e.getContext() != null && e.getProblem() != null) {
      sb.append(" (").append(e.getContext()).append(')');
    }
    if (problem != null && problem.contains("(TAB)")) {
      return "invalid YAML: a tab character; indent with spaces, not tabs";
    }
    if (sb.indexOf("alias") >= 0) {
      // the alias name is what follows '*' in the file, maybe a password's start: not quoted
      sb = new StringBuilder(sb.toString().replaceAll("alias [^ )]+", "alias"));
      sb.append("; quote values that start with * or &");
    }
    return sb.toString();
  }

  private static String name(String text, String what) {
    if (!NAME.matcher(text).matches()) {
      throw new IllegalArgumentException(what + " '" + text + "' may only hold letters, digits, '.', '_' and '-'"
          + " (it becomes part of Redis keys)");
    }
    return text;
  }

  private static String logLevel(String text) {
    if (!LOG_LEVELS.contains(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a log level; write one of "
          + String.join(", ", LOG_LEVELS));
    }
    return text;
  }

  // ---- redis: and metrics:

  private RedisSettings readRedis(MappingReader top) {
    Optional<MappingReader> section = top.section("redis", REDIS_KEYS, Map.of());
    if (section.isEmpty()) {
      return null;
    }
    MappingReader redis = section.get();
    int ways = (redis.has("url") ? 1 : 0) + (redis.has("sentinel") ? 1 : 0) + (redis.has("cluster") ? 1 : 0);
    if (ways == 0) {
      errors.at(top.keyNode("redis"), "redis: needs one of url:, sentinel: or cluster:, like"
          + " url: redis://127.0.0.1:6379");
    } else if (ways > 1) {
      errors.at(top.keyNode("redis"), "redis: has more than one of url:, sentinel: and cluster:; keep one");
    }
    Optional<RedisUrl> parsedUrl = redis.value("url", RedisUrl::parse);
    String url = parsedUrl.isPresent() ? redis.text("url").orElse(null) : null;

    String master = null;
    List<String> sentinelNodes = List.of();
    String sentinelPassword = null;
    Optional<MappingReader> sentinel = redis.section("sentinel", SENTINEL_KEYS, Map.of());
    if (sentinel.isPresent()) {
      MappingReader s = sentinel.get();
      if (!s.has("master") || !s.has("nodes")) {
        errors.at(redis.keyNode("sentinel"), "sentinel: needs master: (the master's name) and nodes:, like"
            + " sentinel: {master: mymaster, nodes: [host:26379]}");
      }
      master = s.text("master").orElse(null);
      sentinelNodes = hostList(s, "nodes", "[host:26379, host2:26379]");
      sentinelPassword = s.secret("password").orElse(null);
    }
    List<String> clusterNodes = redis.has("cluster") ? hostList(redis, "cluster", "[host:7000, host:7001]") : List.of();

    String username = redis.secret("username").orElse(null);
    String password = redis.secret("password").orElse(null);
    if (parsedUrl.isPresent()) {
      RedisUrl u = parsedUrl.get();
      if (username != null && u.username().isPresent()) {
        errors.at(redis.keyNode("username"), "the user is given twice, in url: and in username:; keep one"
            + " (username: keeps it out of the URL)");
      }
      if (password != null && u.password().isPresent()) {
        errors.at(redis.keyNode("password"), "the password is given twice, in url: and in password:; keep one"
            + " (password: keeps it out of the URL, and out of logs that print it by mistake)");
      }
    }
    if (username != null && password == null && (parsedUrl.isEmpty() || parsedUrl.get().password().isEmpty())) {
      errors.at(redis.keyNode("username"), "username: needs password: as well (an ACL user logs in with both)");
    }
    RedisTls tls = readTls(redis, parsedUrl.map(RedisUrl::isTls).orElse(false));

    Duration timeout = redis.duration("timeout").orElse(RedisSettings.DEFAULT_TIMEOUT);
    if (timeout.isZero()) {
      errors.at(redis.valueNode("timeout").get(), "timeout must be more than 0; write it like 50ms");
    }
    int maxValueSize = redis.value("max-value-size", ValueSyntax::size).orElse(RedisSettings.DEFAULT_MAX_VALUE_SIZE);
    return new RedisSettings(url, master, sentinelNodes, sentinelPassword, clusterNodes, username, password, tls,
        timeout, maxValueSize);
  }

  /** TLS is on for {@code rediss://} and whenever a {@code tls:} section is there; null when off. */
  private RedisTls readTls(MappingReader redis, boolean rediss) {
    Optional<MappingReader> section = redis.section("tls", TLS_KEYS, Map.of());
    if (section.isEmpty()) {
      return rediss ? RedisTls.DEFAULT : null;
    }
    MappingReader tls = section.get();
    Path trustStore = null;
    Optional<String> trustStoreText = tls.secret("trust-store").map(String::trim).filter(t -> !t.isEmpty());
    if (trustStoreText.isPresent()) {
      trustStore = Path.of(trustStoreText.get());
      if (!Files.isReadable(trustStore)) {
        errors.at(tls.valueNode("trust-store").get(), "trust-store '" + trustStoreText.get() + "' "
            + (Files.exists(trustStore) ? "cannot be read" : "does not exist") + " (a PKCS#12 or JKS key store, or a"
            + " PEM file of CA certificates; a relative path is taken from the working directory "
            + Path.of("").toAbsolutePath() + ")");
      }
    }
    String trustStorePassword = tls.secret("trust-store-password").orElse(null);
    if (trustStorePassword != null && trustStore == null) {
      errors.at(tls.keyNode("trust-store-password"), "trust-store-password: without trust-store: has no effect;"
          + " add trust-store: or remove it");
    }
    boolean verifyHostname = tls.bool("verify-hostname").orElse(true);
    return RedisTls.of(trustStore, trustStorePassword, verifyHostname);
  }

  private List<String> hostList(MappingReader section, String key, String example) {
    Optional<List<Node>> nodes = section.list(key, example);
    if (nodes.isEmpty()) {
      return List.of();
    }
    if (nodes.get().isEmpty()) {
      errors.at(section.valueNode(key).get(), "'" + key + "' is empty; list at least one node, like " + example);
      return List.of();
    }
    List<String> hosts = new ArrayList<>();
    for (Node node : nodes.get()) {
      section.scalar("an element of '" + key + "'", node)
          .flatMap(text -> section.parsed(node, text, t -> ValueSyntax.hostAndPort(t, example)))
          .ifPresent(hosts::add);
    }
    return hosts;
  }

  private MetricsSettings readMetrics(MappingReader top) {
    Optional<MappingReader> section = top.section("metrics", METRICS_KEYS, Map.of());
    if (section.isEmpty()) {
      return MetricsSettings.DEFAULTS;
    }
    MappingReader metrics = section.get();
    MetricsSettings d = MetricsSettings.DEFAULTS;
    return new MetricsSettings(
        metrics.bool("jmx").orElse(d.jmx()),
        metrics.value("prometheus", RulesParser::prometheus).filter(p -> !p.isEmpty()).orElse(null),
        metrics.bool("micrometer").orElse(d.micrometer()),
        metrics.duration("stats-interval").orElse(d.statsInterval()));
  }

  /** A port, host:port, or "" for off. */
  private static String prometheus(String text) {
    String example = "9464 or \"127.0.0.1:9464\" (or off)";
    if (text.equals("off")) {
      return "";
    }
    if (text.indexOf(':') >= 0) {
      String hostAndPort = ValueSyntax.hostAndPort(text, example);
      String host = hostAndPort.substring(0, hostAndPort.lastIndexOf(':'));
      if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
        throw new IllegalArgumentException("'" + text + "' is not host:port; write an IPv6 address in brackets, like"
            + " \"[::1]:9464\"");
      }
      return hostAndPort;
    }
    return Integer.toString(ValueSyntax.port(text, example));
  }

  // ---- rules:

  private List<RuleSpec> readRules(MappingReader top, Node root, PolicyReader policies, RulePolicy defaults) {
    if (!top.has("rules")) {
      errors.at(root, NO_RULES);
      return List.of();
    }
    Node rulesNode = top.valueNode("rules").get();
    if (MappingReader.isEmptyValue(rulesNode)) {
      errors.at(rulesNode, "rules: is empty; the file needs at least one rule");
      return List.of();
    }
    Optional<List<Node>> items = top.list("rules", "- name: price");
    if (items.isEmpty()) {
      return List.of();
    }
    if (items.get().isEmpty()) {
      errors.at(rulesNode, "rules: is empty; the file needs at least one rule");
      return List.of();
    }
    Map<String, Node> firstByName = new HashMap<>();
    List<RuleDraft> drafts = new ArrayList<>();
    for (Node item : items.get()) {
      if (!(item instanceof MappingNode)) {
        errors.at(item, "each rule must be a mapping with name: and method:, not " + MappingReader.describe(item));
        continue;
      }
      RuleDraft draft = readRule(new MappingReader(item, RULE_KEYS, RULE_MISPLACED, errors, env), policies,
          defaults);
      if (draft.name != null) {
        Node first = firstByName.putIfAbsent(draft.name, draft.nameNode);
        if (first != null) {
          errors.at(draft.nameNode, "duplicate rule name '" + draft.name + "' (first defined at line "
              + (first.getStartMark().getLine() + 1) + "); give every rule its own name");
        }
      }
      drafts.add(draft);
    }
    checkEvictTargets(drafts);
    checkBatchTargets(drafts);

    List<RuleSpec> rules = new ArrayList<>();
    for (RuleDraft d : drafts) {
      if (d.name != null && d.method != null && d.policy != null && (d.evict != null || !d.hasEvictSection)
          && (d.batch != null || !d.hasBatchSection)) {
        rules.add(new RuleSpec(d.name, d.method, d.key, d.tags, d.policy, d.evict, d.batch, line(d.node), column(d.node),
            line(d.methodNode), column(d.methodNode)));
      }
    }
    return rules;
  }

  private RuleDraft readRule(MappingReader rule, PolicyReader policies, RulePolicy defaults) {
    RuleDraft d = new RuleDraft(rule.node());
    d.hasEvictSection = rule.has("evict");
    d.hasBatchSection = rule.has("batch");
    if (rule.has("name")) {
      d.nameNode = rule.valueNode("name").get();
      d.name = rule.value("name", text -> name(text, "rule name")).orElse(null);
    } else {
      errors.at(rule.node(), "rule has no name:; give every rule a unique name, like name: price");
    }
    String called = d.name != null ? "rule '" + d.name + "'" : "rule";
    if (rule.has("method")) {
      d.methodNode = rule.valueNode("method").get();
      d.method = rule.value("method", MethodPattern::parse).orElse(null);
    } else {
      errors.at(rule.node(), called + " has no method:; name the method to cache, like method: " + METHOD_EXAMPLE);
    }

    Optional<MappingReader> evict = rule.section("evict", EVICT_KEYS, Map.of());
    if (rule.has("batch")) {
      readBatchRule(d, rule, called);
    }
    if (rule.has("key") && !rule.has("batch")) {
      if (rule.has("evict")) {
        errors.at(rule.keyNode("key"), "an evict rule takes its key inside evict:, like " + EVICT_EXAMPLE);
      } else {
        d.key = keyTemplate(rule, "key", d.method).orElse(null);
      }
    }
    if (rule.has("tags") && !rule.has("batch")) {
      if (rule.has("evict")) {
        errors.at(rule.keyNode("tags"), "evict " + called + " caches nothing, so 'tags' has no effect; remove it"
            + " (to evict every entry carrying a tag, write " + TAG_EVICT_EXAMPLE + ")");
      } else {
        d.tags = tagTemplates(rule, d.method);
      }
    }
    if (rule.has("evict")) {
      for (String key : rule.keys()) {
        if (PolicyReader.POLICY_KEYS.contains(key)) {
          errors.at(rule.keyNode(key), "evict " + called + " caches nothing, so '" + key + "' has no effect;"
              + " remove it");
        }
      }
      evict.ifPresent(e -> readEvict(d, e, rule.keyNode("evict")));
    }
    RulePolicy.Builder builder = defaults.toBuilder();
    if (!d.hasEvictSection && !d.hasBatchSection) {
      policies.apply(rule, builder);
    }
    try {
      d.policy = builder.name(d.name != null ? d.name : "?").build();
    } catch (IllegalArgumentException e) {
      errors.at(rule.node(), called + ": " + e.getMessage());
    }
    return d;
  }

  private void readEvict(RuleDraft d, MappingReader evict, Node evictKey) {
    if (evict.has("tag")) {
      for (String other : List.of("rule", "key", "all")) {
        if (evict.has(other)) {
          errors.at(evict.keyNode(other), "evict: {tag: ...} removes the entries carrying the tag in every rule, so"
              + " '" + other + "' does not belong beside it; remove it, or write a second evict rule");
        }
      }
      Node value = evict.valueNode("tag").get();
      if (value instanceof MappingNode) {
        errors.at(value, "tag must be a quoted template, like " + TAG_EVICT_EXAMPLE
            + " (unquoted, YAML reads {0} as a mapping)");
        return;
      }
      Optional<KeyTemplate> tag = keyTemplate(evict, "tag", d.method);
      tag.ifPresent(t -> d.evict = EvictSpec.ofTag(t));
      return;
    }
    if (evict.has("rule")) {
      d.evictTargetNode = evict.valueNode("rule").get();
      d.evictTarget = evict.text("rule").orElse(null);
    } else {
      errors.at(evictKey, "evict needs rule: naming the rule whose entries it removes, like " + EVICT_EXAMPLE
          + ", or tag: naming a tag, like " + TAG_EVICT_EXAMPLE);
    }
    KeyTemplate key = evict.has("key") ? keyTemplate(evict, "key", d.method).orElse(null) : null;
    Optional<Boolean> allValue = evict.bool("all");
    boolean all = allValue.orElse(false);
    if (evict.has("key") && all) {
      errors.at(evictKey, "evict has both key: and all: true; keep key: to remove one entry, or all: true to remove"
          + " every entry of the rule");
    } else if (!evict.has("key") && !all && !(evict.has("all") && allValue.isEmpty())) {
      errors.at(evictKey, "evict needs key: (the key to remove) or all: true (every entry of the rule), like "
          + EVICT_EXAMPLE);
    }
    if (d.evictTarget != null && (key != null || all)) {
      d.evict = new EvictSpec(d.evictTarget, key, all);
    }
  }

  /**
   * A batch rule: its {@code batch:} section, and the keys that do not belong beside it (it caches nothing of its
   * own; the rule it names decides keys, policy, tiers and tags).
   */
  private void readBatchRule(RuleDraft d, MappingReader rule, String called) {
    if (rule.has("evict")) {
      errors.at(rule.keyNode("batch"), "a rule is either a batch rule or an evict rule, not both; write two rules");
      return;
    }
    for (String key : rule.keys()) {
      if (key.equals("key")) {
        errors.at(rule.keyNode(key), "batch " + called + " takes the key of an element inside batch:, like "
            + BATCH_EXAMPLE);
      } else if (key.equals("tags") || PolicyReader.POLICY_KEYS.contains(key)) {
        errors.at(rule.keyNode(key), "batch " + called + " caches through the rule that batch: names, so '" + key
            + "' has no effect here; set it on that rule");
      }
    }
    Optional<MappingReader> section = rule.section("batch", BATCH_KEYS, Map.of());
    if (section.isEmpty()) {
      return;
    }
    MappingReader batch = section.get();
    Node batchKey = rule.keyNode("batch");
    if (batch.has("rule")) {
      d.batchTargetNode = batch.valueNode("rule").get();
      d.batchTarget = batch.text("rule").orElse(null);
    } else {
      errors.at(batchKey, "batch needs rule: naming the caching rule each id is looked up in, like "
          + BATCH_EXAMPLE);
    }
    KeyTemplate key = null;
    String keyText = null;
    if (!batch.has("key")) {
      errors.at(batchKey, "batch needs key: the key of an element of the result, as the named rule renders it for the"
          + " element's id, like " + BATCH_EXAMPLE);
    } else if (batch.valueNode("key").get() instanceof MappingNode) {
      errors.at(batch.valueNode("key").get(), "key must be a quoted template, like " + BATCH_EXAMPLE
          + " (unquoted, YAML reads {id} as a mapping)");
    } else {
      keyText = batch.text("key").orElse(null);
      key = batch.value("key", BatchSpec::elementTemplate).orElse(null);
    }
    int ids = -1;
    if (batch.has("ids")) {
      Node value = batch.valueNode("ids").get();
      Optional<String> text = value instanceof MappingNode ? Optional.empty() : batch.text("ids");
      java.util.regex.Matcher m = IDS_ARGUMENT.matcher(text.orElse(""));
      if (!m.matches()) {
        errors.at(value, "ids must name one argument, quoted, like ids: \"{1}\" (the argument that holds the ids)");
        return;
      }
      ids = Integer.parseInt(m.group(1));
      if (d.method != null && d.method.parameterTypes().isPresent()) {
        int arity = d.method.parameterTypes().get().size();
        if (ids >= arity) {
          errors.at(value, "ids \"{" + ids + "}\" is argument " + ids + ", but " + d.method + " takes "
              + (arity == 0 ? "no arguments" : arity == 1 ? "1 argument" : arity + " arguments")
              + " (arguments count from 0)");
          return;
        }
      }
    }
    if (d.batchTarget != null && key != null) {
      d.batch = new BatchSpec(d.batchTarget, keyText, key, ids);
    }
  }

  private void checkBatchTargets(List<RuleDraft> drafts) {
    Map<String, RuleDraft> byName = new LinkedHashMap<>();
    for (RuleDraft d : drafts) {
      if (d.name != null) {
        byName.putIfAbsent(d.name, d);
      }
    }
    for (RuleDraft d : drafts) {
      if (d.batchTarget == null) {
        continue;
      }
      RuleDraft target = byName.get(d.batchTarget);
      if (target == null) {
        List<String> caching = new ArrayList<>();
        for (RuleDraft r : byName.values()) {
          if (!r.hasEvictSection && !r.hasBatchSection) {
            caching.add(r.name);
          }
        }
        errors.at(d.batchTargetNode, "batch names unknown rule '" + d.batchTarget + "' "
            + ClosestName.to(d.batchTarget, caching).map(n -> "(did you mean '" + n + "'?)")
                .orElse(caching.isEmpty() ? "(the file has no caching rule)"
                    : "(caching rules: " + String.join(", ", caching) + ")"));
        d.batch = null;
      } else if (target.hasEvictSection || target.hasBatchSection) {
        errors.at(d.batchTargetNode, "batch names rule '" + d.batchTarget + "', which is itself "
            + (target.hasEvictSection ? "an evict" : "a batch") + " rule; name the rule that caches one element,"
            + " like the rule of findById");
        d.batch = null;
      } else if (target.method != null && target.method.parameterTypes().isPresent()
          && target.method.parameterTypes().get().size() != 1) {
        errors.at(d.batchTargetNode, "batch names rule '" + d.batchTarget + "', whose method " + target.method
            + " does not take one argument; a batch looks each id up as that method's only argument");
        d.batch = null;
      } else if (target.key != null && target.key.maxArgumentIndex() != 0) {
        errors.at(d.batchTargetNode, "batch names rule '" + d.batchTarget + "', whose key \"" + target.key
            + "\" is not made from argument 0; a batch looks each id up as that method's only argument");
        d.batch = null;
      }
    }
  }

  private void checkEvictTargets(List<RuleDraft> drafts) {
    Map<String, RuleDraft> byName = new LinkedHashMap<>();
    for (RuleDraft d : drafts) {
      if (d.name != null) {
        byName.putIfAbsent(d.name, d);
      }
    }
    for (RuleDraft d : drafts) {
      if (d.evictTarget == null) {
        continue;
      }
      RuleDraft target = byName.get(d.evictTarget);
      if (target == null) {
        List<String> caching = new ArrayList<>();
        for (RuleDraft r : byName.values()) {
          if (!r.hasEvictSection) {
            caching.add(r.name);
          }
        }
        errors.at(d.evictTargetNode, "evict names unknown rule '" + d.evictTarget + "' "
            + ClosestName.to(d.evictTarget, caching).map(n -> "(did you mean '" + n + "'?)")
                .orElse(caching.isEmpty() ? "(the file has no caching rule)"
                    : "(caching rules: " + String.join(", ", caching) + ")"));
      } else if (target.hasEvictSection) {
        errors.at(d.evictTargetNode, "evict names rule '" + d.evictTarget + "', which is itself an evict rule;"
            + " name a rule that caches values");
      }
    }
  }

  private Optional<KeyTemplate> keyTemplate(MappingReader section, String key, MethodPattern method) {
    Node value = section.valueNode(key).get();
    if (value instanceof MappingNode) {
      errors.at(value, "key must be a quoted template, like key: \"{0}\" (unquoted, YAML reads {0} as a mapping)");
      return Optional.empty();
    }
    Optional<KeyTemplate> template = section.value(key, KeyTemplate::parse);
    if (template.isPresent() && method != null && method.parameterTypes().isPresent()) {
      int arity = method.parameterTypes().get().size();
      int used = template.get().maxArgumentIndex();
      if (used >= arity) {
        errors.at(value, "key \"" + template.get() + "\" uses argument " + used + ", but " + method + " takes "
            + (arity == 0 ? "no arguments" : arity == 1 ? "1 argument" : arity + " arguments")
            + " (arguments count from 0)");
        return Optional.empty();
      }
    }
    return template;
  }

  /** The templates of a rule's {@code tags:} list; each bad one is an error at its position. */
  private List<TagTemplate> tagTemplates(MappingReader rule, MethodPattern method) {
    Optional<List<Node>> nodes = rule.list("tags", TAGS_EXAMPLE);
    if (nodes.isEmpty()) {
      return List.of();
    }
    if (nodes.get().size() > EntryCodec.MAX_TAGS) {
      errors.at(rule.valueNode("tags").get(), "a rule carries at most " + EntryCodec.MAX_TAGS + " tags, this one "
          + nodes.get().size() + "; keep the ones an evict names");
      return List.of();
    }
    List<TagTemplate> tags = new ArrayList<>();
    for (Node node : nodes.get()) {
      if (node instanceof MappingNode) {
        errors.at(node, "a tag must be a quoted template, like " + TAGS_EXAMPLE
            + " (unquoted, YAML reads {0} as a mapping)");
        continue;
      }
      Optional<String> text = rule.scalar("an element of tags", node);
      if (text.isEmpty()) {
        continue;
      }
      if (text.get().isEmpty()) {
        errors.at(node, "a tag must not be empty; write a template like \"category:{0}\"");
        continue;
      }
      TagTemplate tag;
      try {
        tag = TagTemplate.parse(text.get());
      } catch (IllegalArgumentException e) {
        errors.at(node, e.getMessage());
        continue;
      }
      if (method != null && method.parameterTypes().isPresent()) {
        int arity = method.parameterTypes().get().size();
        int used = tag.maxArgumentIndex();
        if (used >= arity) {
          errors.at(node, "tag \"" + tag + "\" uses argument " + used + ", but " + method + " takes "
              + (arity == 0 ? "no arguments" : arity == 1 ? "1 argument" : arity + " arguments")
              + " (arguments count from 0; {result} is the returned value)");
          continue;
        }
      }
      tags.add(tag);
    }
    return List.copyOf(tags);
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private static int column(Node node) {
    return node.getStartMark().getColumn() + 1;
  }

  // ---- keys written at the wrong level

  private static Map<String, String> misplacedAtTop() {
    Map<String, String> m = new HashMap<>();
    for (String key : PolicyReader.POLICY_KEYS) {
      m.put(key, "'" + key + "' cannot be set at the top level; put it under defaults: (for every rule) or in a rule");
    }
    for (String key : List.of("name", "method", "key", "tags", "evict", "batch")) {
      m.put(key, "'" + key + "' belongs in a rule, under rules:");
    }
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, String> misplacedInRule() {
    Map<String, String> m = new HashMap<>();
    for (String key : TOP_KEYS) {
      m.put(key, "'" + key + "' cannot be set in a rule; it belongs at the top level of the file");
    }
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, String> misplacedInDefaults() {
    Map<String, String> m = new HashMap<>();
    for (String key : TOP_KEYS) {
      m.put(key, "'" + key + "' cannot be set under defaults:; it belongs at the top level of the file");
    }
    for (String key : List.of("name", "method", "key", "tags", "evict", "batch")) {
      m.put(key, "'" + key + "' cannot be set under defaults:; set it in each rule");
    }
    return Collections.unmodifiableMap(m);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return Collections.unmodifiableList(all);
  }

  /** What was read of one rule so far; parts with problems stay null. */
  private static final class RuleDraft {
    final Node node;
    String name;
    Node nameNode;
    MethodPattern method;
    Node methodNode;
    KeyTemplate key;
    List<TagTemplate> tags = List.of();
    RulePolicy policy;
    EvictSpec evict;
    BatchSpec batch;
    String batchTarget;
    Node batchTargetNode;
    boolean hasBatchSection;
    String evictTarget;
    Node evictTargetNode;
    boolean hasEvictSection;

    RuleDraft(Node node) {
      this.node = node;
    }
  }
}
