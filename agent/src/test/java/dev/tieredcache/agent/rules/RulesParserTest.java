package dev.tieredcache.agent.rules;

import static dev.tieredcache.agent.rules.RulesYaml.errors;
import static dev.tieredcache.agent.rules.RulesYaml.parse;
import static dev.tieredcache.agent.rules.RulesYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of mistake in a rules file is reported with its position and a way to fix it. */
class RulesParserTest {

  private static final String RULES = "rules:";
  private static final String NAME = "  - name: price";
  private static final String METHOD = "    method: com.acme.Catalog#price(java.lang.String)";

  @Test
  void unknownKeyIsReportedWithSuggestion() {
    assertThat(errors(RULES, NAME, METHOD, "    tll: 5s"))
        .containsExactly("rules.yaml:4:5: unknown key 'tll' (did you mean 'ttl'?)");
  }

  @Test
  void unknownKeyWithoutCloseMatchListsTheKnownKeys() {
    assertThat(errors("cache: on", RULES, NAME, METHOD)).containsExactly("rules.yaml:1:1: unknown key 'cache'"
        + " (known keys: namespace, log-level, redis, backplane, metrics, watch, defaults, rules)");
  }

  @Test
  void unknownKeysAreFoundInEverySection() {
    assertThat(errors(
        "redis:",
        "  urll: redis://localhost:6379",
        "metrics:",
        "  prometeus: 9464",
        "defaults:",
        "  stale-while-revalidte: 1m",
        RULES, NAME, METHOD,
        "  - name: saved",
        "    method: com.acme.Catalog#save(..)",
        "    evict: {rule: price, keys: \"{0}\"}")).containsExactly(
        "rules.yaml:1:1: redis: needs one of url:, sentinel: or cluster:, like url: redis://127.0.0.1:6379",
        "rules.yaml:2:3: unknown key 'urll' (did you mean 'url'?)",
        "rules.yaml:4:3: unknown key 'prometeus' (did you mean 'prometheus'?)",
        "rules.yaml:6:3: unknown key 'stale-while-revalidte' (did you mean 'stale-while-revalidate'?)",
        "rules.yaml:12:5: evict needs key: (the key to remove) or all: true (every entry of the rule), like"
            + " evict: {rule: product, key: \"{0}\"}",
        "rules.yaml:12:26: unknown key 'keys' (did you mean 'key'?)");
  }

  @Test
  void duplicateKeyIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    ttl: 5s", "    ttl: 10s"))
        .containsExactly("rules.yaml:5:5: duplicate key 'ttl' (first at line 4); remove one of them");
  }

  @Test
  void wrongDurationIsReportedAtTheValue() {
    assertThat(errors(RULES, NAME, METHOD, "    ttl: abc"))
        .containsExactly("rules.yaml:4:10: 'abc' is not a duration; write it like 250ms, 5s, 10m, 2h or 1d");
  }

  @Test
  void decimalDurationIsRejected() {
    assertThat(errors(RULES, NAME, METHOD, "    load-timeout: 1.5s"))
        .containsExactly("rules.yaml:4:19: '1.5s' is not a duration; write it like 250ms, 5s, 10m, 2h or 1d");
  }

  @Test
  void keyWithoutValueIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    ttl:"))
        .containsExactly("rules.yaml:4:9: 'ttl' has no value; give it one or leave the key out");
  }

  @Test
  void listWhereAValueBelongsIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    ttl: [5s]"))
        .containsExactly("rules.yaml:4:10: 'ttl' must be a single value, not a list");
  }

  @Test
  void wrongJitterIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    jitter: lots", "  - name: b", "    method: a.B#c(..)",
        "    jitter: 150%")).containsExactly(
        "rules.yaml:4:13: 'lots' is not a jitter; write a percentage of ttl (10%), a fraction (0.1) or a duration (2s)",
        "rules.yaml:7:13: jitter '150%' is more than all of ttl; write a percentage of ttl (10%), a fraction (0.1) or"
            + " a duration (2s) of at most 100%");
  }

  @Test
  void refreshAheadOutsideZeroToOneIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    refresh-ahead: 1.5")).containsExactly("rules.yaml:4:20:"
        + " refresh-ahead '1.5' must be a fraction of ttl between 0 and 1 (exclusive), like 0.8, or off");
  }

  @Test
  void maxEntriesMustBeAWholeNumberOfAtLeastOne() {
    assertThat(errors(RULES, NAME, METHOD, "    max-entries: 0", "  - name: b", "    method: a.B#c(..)",
        "    max-entries: lots")).containsExactly(
        "rules.yaml:4:18: max-entries must be at least 1, not 0",
        "rules.yaml:7:18: 'lots' is not a whole number; write max-entries like 10000");
  }

  @Test
  void onlyTrueAndFalseAreBooleans() {
    assertThat(errors(RULES, NAME, METHOD, "    cache-nulls: yes"))
        .containsExactly("rules.yaml:4:18: 'yes' is not a boolean; write true or false");
  }

  @Test
  void wrongTiersAreReported() {
    assertThat(errors(
        "redis: {url: \"redis://localhost\"}",
        RULES, NAME, METHOD,
        "    tiers: [memory, disk]",
        "  - name: b",
        "    method: a.B#c(..)",
        "    tiers: [redis, redis]",
        "  - name: c",
        "    method: a.B#d(..)",
        "    tiers: []",
        "  - name: d",
        "    method: a.B#e(..)",
        "    tiers: memory")).containsExactly(
        "rules.yaml:5:21: 'disk' is not a tier; write memory or redis",
        "rules.yaml:8:20: tier 'redis' is listed twice; list each tier once",
        "rules.yaml:11:12: 'tiers' is empty; list memory, redis or both",
        "rules.yaml:14:12: 'tiers' must be a list, like [memory, redis], not 'memory'");
  }

  @Test
  void redisTierWithoutRedisSectionIsReported() {
    assertThat(errors("defaults:", "  tiers: [memory, redis]", RULES, NAME, METHOD, "    tiers: [redis]"))
        .containsExactly(
            "rules.yaml:2:10: tiers lists redis but the file has no redis: section; add one, or write tiers: [memory]",
            "rules.yaml:6:12: tiers lists redis but the file has no redis: section; add one, or write tiers: [memory]");
  }

  @Test
  void allowTypesMustBeAListOfNames() {
    assertThat(errors(RULES, NAME, METHOD, "    allow-types: com.acme.dto.*", "  - name: b", "    method: a.B#c(..)",
        "    allow-types: [[com.acme]]")).containsExactly(
        "rules.yaml:4:18: 'allow-types' must be a list, like [com.acme.dto.*], not 'com.acme.dto.*'",
        "rules.yaml:7:19: 'an element of 'allow-types'' must be a single value, not a list");
  }

  @Test
  void backplaneWithoutRedisIsReported() {
    assertThat(errors("backplane: true", RULES, NAME, METHOD))
        .containsExactly("rules.yaml:1:12: backplane needs a redis: section; add one, or remove backplane: true");
  }

  @Test
  void distributedLockWithoutRedisIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    distributed-lock: true"))
        .containsExactly("rules.yaml:4:23: distributed-lock needs a redis: section; add one, or remove"
            + " distributed-lock");
  }

  @Test
  void unknownLogLevelIsReported() {
    assertThat(errors("log-level: verbose", RULES, NAME, METHOD))
        .containsExactly("rules.yaml:1:12: 'verbose' is not a log level; write one of error, warn, info, debug, trace");
  }

  @Test
  void namesOutsideTheSafeAlphabetAreReported() {
    assertThat(errors("namespace: my shop", RULES, "  - name: price/eur", METHOD)).containsExactly(
        "rules.yaml:1:12: namespace 'my shop' may only hold letters, digits, '.', '_' and '-' (it becomes part of"
            + " Redis keys)",
        "rules.yaml:3:11: rule name 'price/eur' may only hold letters, digits, '.', '_' and '-' (it becomes part of"
            + " Redis keys)");
  }

  @Test
  void duplicateRuleNameIsReportedWithTheFirstLine() {
    assertThat(errors(RULES, NAME, METHOD, NAME, "    method: com.acme.Catalog#cost(..)")).containsExactly(
        "rules.yaml:4:11: duplicate rule name 'price' (first defined at line 2); give every rule its own name");
  }

  @Test
  void missingNameAndMethodAreReportedAtTheRule() {
    assertThat(errors(RULES, "  - method: a.B#c(..)", "  - name: lonely", "    ttl: 5s")).containsExactly(
        "rules.yaml:2:5: rule has no name:; give every rule a unique name, like name: price",
        "rules.yaml:3:5: rule 'lonely' has no method:; name the method to cache, like method:"
            + " com.acme.Catalog#price(java.lang.String)");
  }

  @Test
  void invalidMethodPatternIsReportedAtTheMethodValue() {
    assertThat(errors(RULES, NAME, "    method: com.acme.Catalog.price(java.lang.String)")).containsExactly(
        "rules.yaml:3:13: invalid method pattern 'com.acme.Catalog.price(java.lang.String)': there is no '#' between"
            + " the type and the method; write Type#method(param types), like"
            + " com.acme.Catalog#price(java.lang.String) or com.acme.*Service#find*(..)");
  }

  @Test
  void constructorIsReported() {
    assertThat(errors(RULES, NAME, "    method: com.acme.Catalog#Catalog(..)")).containsExactly(
        "rules.yaml:3:13: constructors cannot be cached: 'com.acme.Catalog#Catalog(..)' names the constructor of"
            + " com.acme.Catalog; name a method that returns the value");
  }

  @Test
  void invalidKeyTemplateIsReportedAtTheKeyValue() {
    assertThat(errors(RULES, NAME, METHOD, "    key: \"user:{0\"")).containsExactly(
        "rules.yaml:4:10: invalid key template \"user:{0\": '{' at offset 5 is not closed; write {{ for a literal '{'");
  }

  @Test
  void unquotedKeyTemplateIsExplained() {
    assertThat(errors(RULES, NAME, METHOD, "    key: {0}")).containsExactly(
        "rules.yaml:4:10: key must be a quoted template, like key: \"{0}\" (unquoted, YAML reads {0} as a mapping)");
  }

  @Test
  void keyUsingAnArgumentTheMethodLacksIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    key: \"{0}:{1}\"", "  - name: all",
        "    method: com.acme.Catalog#all()", "    key: \"{0}\"")).containsExactly(
        "rules.yaml:4:10: key \"{0}:{1}\" uses argument 1, but com.acme.Catalog#price(java.lang.String) takes 1"
            + " argument (arguments count from 0)",
        "rules.yaml:7:10: key \"{0}\" uses argument 0, but com.acme.Catalog#all() takes no arguments (arguments count"
            + " from 0)");
  }

  @Test
  void evictNamingAnUnknownRuleSuggestsTheClosest() {
    assertThat(errors(RULES, "  - name: product", METHOD, "  - name: saved", "    method: a.B#save(..)",
        "    evict: {rule: prodcut, all: true}")).containsExactly(
        "rules.yaml:6:19: evict names unknown rule 'prodcut' (did you mean 'product'?)");
  }

  @Test
  void evictNamingAnUnknownRuleListsTheCachingRules() {
    assertThat(errors(RULES, NAME, METHOD, "  - name: saved", "    method: a.B#save(..)",
        "    evict: {rule: stock, all: true}")).containsExactly(
        "rules.yaml:6:19: evict names unknown rule 'stock' (caching rules: price)");
  }

  @Test
  void evictNamingAnEvictRuleIsReported() {
    assertThat(errors(RULES, NAME, METHOD,
        "  - name: saved", "    method: a.B#save(..)", "    evict: {rule: price, all: true}",
        "  - name: again", "    method: a.B#again(..)", "    evict: {rule: saved, all: true}")).containsExactly(
        "rules.yaml:9:19: evict names rule 'saved', which is itself an evict rule; name a rule that caches values");
  }

  @Test
  void evictWithBothKeyAndAllOrNeitherIsReported() {
    assertThat(errors(RULES, NAME, METHOD,
        "  - name: saved", "    method: a.B#save(..)", "    evict: {rule: price, key: \"{0}\", all: true}",
        "  - name: gone", "    method: a.B#gone(..)", "    evict: {rule: price}")).containsExactly(
        "rules.yaml:6:5: evict has both key: and all: true; keep key: to remove one entry, or all: true to remove"
            + " every entry of the rule",
        "rules.yaml:9:5: evict needs key: (the key to remove) or all: true (every entry of the rule), like"
            + " evict: {rule: product, key: \"{0}\"}");
  }

  @Test
  void evictRuleWithCachingKeysIsReported() {
    assertThat(errors(RULES, NAME, METHOD,
        "  - name: saved", "    method: a.B#save(..)", "    key: \"{0}\"", "    ttl: 5s",
        "    evict: {rule: price, all: true}")).containsExactly(
        "rules.yaml:6:5: an evict rule takes its key inside evict:, like evict: {rule: product, key: \"{0}\"}",
        "rules.yaml:7:5: evict rule 'saved' caches nothing, so 'ttl' has no effect; remove it");
  }

  @Test
  void topLevelKeyInsideARuleIsReported() {
    assertThat(errors(RULES, NAME, METHOD, "    namespace: shop")).containsExactly(
        "rules.yaml:4:5: 'namespace' cannot be set in a rule; it belongs at the top level of the file");
  }

  @Test
  void ruleKeyAtTheTopLevelIsReported() {
    assertThat(errors("ttl: 5s", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:1:1: 'ttl' cannot be set at the top level; put it under defaults: (for every rule) or in a rule");
  }

  @Test
  void emptyFileIsReported() {
    assertThat(errors("# nothing yet")).containsExactly(
        "rules.yaml:1:1: no rules: list; the file needs at least one rule");
  }

  @Test
  void fileWithoutRulesIsReported() {
    assertThat(errors("namespace: shop")).containsExactly(
        "rules.yaml:1:1: no rules: list; the file needs at least one rule");
  }

  @Test
  void emptyRulesListIsReported() {
    assertThat(errors("namespace: shop", "rules: []")).containsExactly(
        "rules.yaml:2:8: rules: is empty; the file needs at least one rule");
  }

  @Test
  void fileThatIsNotAMappingIsReported() {
    assertThat(errors("- name: price")).containsExactly(
        "rules.yaml:1:1: the rules file must be a mapping with a rules: list at the top level, not a list");
  }

  @Test
  void yamlSyntaxErrorIsReportedAtTheProblem() {
    assertThat(errors(RULES, NAME, "    method: [a.B#c(..)")).containsExactly(
        "rules.yaml:4:1: invalid YAML: expected ',' or ']', but got <stream end> (while parsing a flow sequence)");
  }

  @Test
  void tabIndentationIsExplained() {
    assertThat(errors(RULES, NAME, METHOD, "\tttl: 5s")).containsExactly(
        "rules.yaml:4:1: invalid YAML: a tab character; indent with spaces, not tabs");
  }

  @Test
  void unquotedPatternStartingWithStarIsExplained() {
    assertThat(errors(RULES, NAME, "    method: *Service#find(..)")).containsExactly(
        "rules.yaml:3:27: invalid YAML: unexpected character found .(46) (while scanning an alias); quote values"
            + " that start with * or &");
  }

  @Test
  void unsetEnvironmentVariableIsReported() {
    assertThat(errors("redis:", "  url: ${REDIS_URL}", RULES, NAME, METHOD)).containsExactly(
        "rules.yaml:2:8: environment variable REDIS_URL is not set (write ${REDIS_URL:-default} to give a default)");
  }

  @Test
  void everyMistakeIsReportedAtOnceInFileOrder() {
    RulesException e = (RulesException) org.assertj.core.api.Assertions.catchThrowable(() -> RulesParser.parse(
        "rules.yaml",
        yaml(RULES, NAME, METHOD, "    tll: 5s", "  - name: stock", "    method: com.acme.Stock#level(..)",
            "    ttl: soon", "    max-entries: none"),
        name -> null));
    assertThat(e.getMessage()).isEqualTo(String.join("\n",
        "rules.yaml:4:5: unknown key 'tll' (did you mean 'ttl'?)",
        "rules.yaml:7:10: 'soon' is not a duration; write it like 250ms, 5s, 10m, 2h or 1d",
        "rules.yaml:8:18: 'none' is not a whole number; write max-entries like 10000"));
    assertThat(e.errors()).hasSize(3);
  }

  @Test
  void fileIsReadFromItsPath(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.write(file, yaml(RULES, NAME, METHOD).getBytes(StandardCharsets.UTF_8));
    RulesFile rules = RulesParser.parse(file);
    assertThat(rules.source()).isEqualTo(file.toString());
    assertThat(rules.rules()).extracting(RuleSpec::name).containsExactly("price");
  }

  @Test
  void missingFileIsReportedAsAnError(@TempDir Path dir) {
    Path file = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> RulesParser.parse(file)).isInstanceOf(RulesException.class)
        .hasMessage(file + ":1:1: cannot read the rules file: it does not exist");
  }

  @Test
  void ruleKnowsItsPosition() throws RulesException {
    RulesFile rules = parse("namespace: shop", RULES, NAME, METHOD, "  -   name: stock", "      method: a.B#c(..)");
    assertThat(rules.rules()).extracting(RuleSpec::line).containsExactly(3, 5);
    assertThat(rules.rules()).extracting(RuleSpec::column).containsExactly(5, 7);
  }
}
