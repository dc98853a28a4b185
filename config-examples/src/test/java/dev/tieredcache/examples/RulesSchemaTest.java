package dev.tieredcache.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.agent.rules.RulesException;
import dev.tieredcache.agent.rules.RulesParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code tiered-cache-rules.schema.json} accepts every example file, and agrees with the agent's parser on files
 * that are right and files that are wrong. (Which keys each section has is {@code RulesSchemaParityTest}'s job.)
 */
class RulesSchemaTest {

  private static final String MODELINE = "# yaml-language-server: $schema=./tiered-cache-rules.schema.json";

  private static final String RULE = "rules:\n  - name: price\n    method: com.acme.Catalog#price(java.lang.String)\n";
  private static final String REDIS = "redis:\n  url: redis://127.0.0.1:6379\n";

  static List<Path> exampleFiles() throws IOException {
    return ExampleRulesFilesTest.exampleFiles();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void exampleFileMatchesTheSchema(Path file) throws IOException {
    assertThat(RulesSchema.problems(Files.readString(file, StandardCharsets.UTF_8)))
        .as(file.getFileName() + " against " + RulesSchema.FILE).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void exampleFileNamesTheSchemaOnItsFirstLine(Path file) throws IOException {
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).first().as(file.getFileName().toString())
        .isEqualTo(MODELINE);
  }

  static Stream<Arguments> filesBothAccept() {
    return Stream.of(
        Arguments.of("the smallest file", RULE),
        Arguments.of("${...} in typed values", "namespace: ${NAMESPACE:-shop}\nlog-level: ${LOG_LEVEL:-info}\n"
            + "defaults:\n  ttl: ${TTL:-5s}\n  max-entries: ${MAX_ENTRIES:-500}\n  cache-nulls: ${CACHE_NULLS:-true}\n"
            + "  refresh-ahead: ${REFRESH_AHEAD:-off}\n" + RULE),
        Arguments.of("values written as the parser reads them", "watch: \"false\"\ndefaults:\n  ttl: 0\n  jitter: 0\n"
            + "  refresh-ahead: 80%\n  max-entries: \"20\"\n  tiers: [memory]\n" + RULE),
        Arguments.of("jitter as a fraction, a percentage and a duration", RULE + "    jitter: 0.25\n"
            + "  - name: a\n    method: com.acme.A#a(..)\n    jitter: 100%\n"
            + "  - name: b\n    method: com.acme.B#b(..)\n    jitter: 2s\n"),
        Arguments.of("empty defaults: and metrics: sections", "defaults:\nmetrics:\n" + RULE),
        Arguments.of("sentinel", "redis:\n  sentinel: {master: mymaster, nodes: [s1:26379, \"[::1]:26380\"]}\n"
            + "  timeout: 200ms\nbackplane: true\n" + RULE),
        Arguments.of("cluster, redis-only rule with a distributed lock", "redis:\n  cluster: [r1:7000, r2:7001]\n"
            + RULE + "    tiers: [redis]\n    distributed-lock: true\n"),
        Arguments.of("metrics", "metrics:\n  jmx: false\n  prometheus: 9464\n  micrometer: true\n"
            + "  stats-interval: 1m\n" + RULE),
        Arguments.of("prometheus on host:port", "metrics: {prometheus: \"0.0.0.0:9464\"}\n" + RULE),
        Arguments.of("prometheus on a bracketed IPv6 address", "metrics: {prometheus: \"[::1]:9464\"}\n" + RULE),
        Arguments.of("evict all", RULE + "  - name: imported\n    method: com.acme.Importer#run(..)\n"
            + "    evict: {rule: price, all: true}\n"),
        Arguments.of("evict one key", RULE + "  - name: saved\n    method: com.acme.Catalog#save(..)\n"
            + "    evict: {rule: price, key: \"{0.id}\", all: false}\n"),
        Arguments.of("tags and an evict by tag", "rules:\n  - name: page\n    method: com.acme.Catalog#page(long)\n"
            + "    tags: [\"product:{0}\", \"category:{result.categoryId}\"]\n"
            + "  - name: renamed\n    method: com.acme.Catalog#rename(long, java.lang.String)\n"
            + "    evict: {tag: \"category:{0}\"}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filesBothAccept")
  void schemaAndParserAcceptTheSameFile(String what, String yaml) throws RulesException {
    assertThat(RulesSchema.problems(yaml)).as("the schema's problems with:\n" + yaml).isEmpty();
    assertThat(RulesParser.parse("rules.yaml", yaml, name -> null).rules()).isNotEmpty();
  }

  static Stream<Arguments> filesBothReject() {
    return Stream.of(
        Arguments.of("no rules", "namespace: shop\n"),
        Arguments.of("an empty rules list", "rules: []\n"),
        Arguments.of("a misspelt key in a rule", RULE + "    tll: 5s\n"),
        Arguments.of("a misspelt top-level key", "namepsace: shop\n" + RULE),
        Arguments.of("a policy key at the top level", "ttl: 5s\n" + RULE),
        Arguments.of("a rule without method", "rules:\n  - name: price\n"),
        Arguments.of("a duration without unit", RULE + "    ttl: 5\n"),
        Arguments.of("a duration in seconds with a space", RULE + "    ttl: 5 s\n"),
        Arguments.of("an unquoted key template", RULE + "    key: {0}\n"),
        Arguments.of("an unknown tier", RULE + "    tiers: [memory, disk]\n"),
        Arguments.of("an empty tier list", RULE + "    tiers: []\n"),
        Arguments.of("tier redis without redis:", RULE + "    tiers: [memory, redis]\n"),
        Arguments.of("distributed-lock without redis:", "defaults:\n  distributed-lock: true\n" + RULE),
        Arguments.of("backplane without redis:", "backplane: true\n" + RULE),
        Arguments.of("yes for a boolean", "watch: yes\n" + RULE),
        Arguments.of("jitter above 100%", RULE + "    jitter: 150%\n"),
        Arguments.of("jitter above 1", RULE + "    jitter: 1.5\n"),
        Arguments.of("refresh-ahead of 1", RULE + "    refresh-ahead: 1\n"),
        Arguments.of("max-entries 0", RULE + "    max-entries: 0\n"),
        Arguments.of("a namespace with a colon", "namespace: shop:eu\n" + RULE),
        Arguments.of("a rule name with a space", "rules:\n  - name: my price\n    method: com.acme.C#p(..)\n"),
        Arguments.of("an unknown log level", "log-level: verbose\n" + RULE),
        Arguments.of("redis with url and cluster", "redis:\n  url: redis://h:6379\n  cluster: [h:7000]\n" + RULE),
        Arguments.of("redis without url, sentinel or cluster", "redis:\n  timeout: 50ms\n" + RULE),
        Arguments.of("a redis url of another scheme", "redis:\n  url: http://h:6379\n" + RULE),
        Arguments.of("a redis timeout of 0", REDIS + "  timeout: 0ms\n" + RULE),
        Arguments.of("a sentinel without master", "redis:\n  sentinel: {nodes: [h:26379]}\n" + RULE),
        Arguments.of("a cluster node without port", "redis:\n  cluster: [h]\n" + RULE),
        Arguments.of("a prometheus port out of range", "metrics:\n  prometheus: 70000\n" + RULE),
        Arguments.of("an unknown metrics key", "metrics:\n  graphite: true\n" + RULE),
        Arguments.of("an evict rule with a policy key", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    evict: {rule: price, key: \"{0}\"}\n    ttl: 5s\n"),
        Arguments.of("an evict rule with key: outside evict:", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    key: \"{0}\"\n    evict: {rule: price, all: true}\n"),
        Arguments.of("an evict without key or all", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    evict: {rule: price}\n"),
        Arguments.of("an evict with key and all: true", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    evict: {rule: price, key: \"{0}\", all: true}\n"),
        Arguments.of("an evict without rule", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    evict: {key: \"{0}\"}\n"),
        Arguments.of("an evict by tag beside a rule", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    evict: {tag: \"category:{0}\", rule: price}\n"),
        Arguments.of("tags on an evict rule", RULE + "  - name: saved\n    method: com.acme.C#save(..)\n"
            + "    evict: {tag: \"category:{0}\"}\n    tags: [\"x\"]\n"),
        Arguments.of("tags that are not a list", RULE + "    tags: \"category:{0}\"\n"),
        Arguments.of("an empty tag", RULE + "    tags: [\"\"]\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filesBothReject")
  void schemaAndParserRejectTheSameFile(String what, String yaml) {
    assertThat(RulesSchema.problems(yaml)).as("the schema's problems with:\n" + yaml).isNotEmpty();
    assertThatThrownBy(() -> RulesParser.parse("rules.yaml", yaml, name -> null)).as("the parser on:\n" + yaml)
        .isInstanceOf(RulesException.class);
  }
}
