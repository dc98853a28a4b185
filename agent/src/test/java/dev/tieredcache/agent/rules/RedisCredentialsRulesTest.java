package dev.tieredcache.agent.rules;

import static dev.tieredcache.agent.rules.RulesYaml.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tieredcache.runtime.redis.RedisTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The credentials and TLS settings of the {@code redis:} section (product contract §3) are read from the URL or
 * from their own keys, with {@code ${VAR}} substitution, and no error about them ever quotes a password.
 */
class RedisCredentialsRulesTest {

  private static final String SECRET = "S3cr/et@pw";
  private static final String[] RULE = {"rules:", "  - name: price", "    method: com.acme.Catalog#price(..)"};

  private static RulesFile parse(Map<String, String> env, String... redisLines) throws RulesException {
    return RulesParser.parse("rules.yaml", yaml(concat(redisLines)), env::get);
  }

  private static List<String> errors(Map<String, String> env, String... redisLines) {
    RulesException thrown = (RulesException) org.assertj.core.api.Assertions.catchThrowable(
        () -> parse(env, redisLines));
    assertThat(thrown).as("the file must be refused").isNotNull();
    return thrown.errors().stream().map(RulesError::toString).collect(Collectors.toList());
  }

  private static String[] concat(String... redisLines) {
    String[] all = new String[redisLines.length + RULE.length];
    System.arraycopy(redisLines, 0, all, 0, redisLines.length);
    System.arraycopy(RULE, 0, all, redisLines.length, RULE.length);
    return all;
  }

  @Test
  void rawPasswordWithAtSlashPercentAndSpaceInTheUrlIsReadWhole() throws RulesException {
    String raw = "p@ss/w%rd with space:x";
    RedisSettings redis = parse(Map.of(), "redis:", "  url: \"redis://app:" + raw + "@cache.internal:6380/2\"")
        .redis().get();
    assertThat(redis.url()).contains("redis://app:" + raw + "@cache.internal:6380/2");
    assertThat(redis.toString()).contains("redis://app:***@cache.internal:6380/2").doesNotContain("w%rd");
    assertThat(redis.toConfig().password()).contains(raw);
    assertThat(redis.toConfig().toString()).isEqualTo("redis://app:***@cache.internal:6380/2");
  }

  @Test
  void malformedUrlIsReportedWithoutItsPassword() {
    assertThat(errors(Map.of("REDIS_URL", "http://:" + SECRET + "@cache:6379"), "redis:", "  url: ${REDIS_URL}"))
        .containsExactly("rules.yaml:2:8: redis url 'http://***@cache:6379' must start with redis:// or rediss://"
            + " (TLS), like redis://127.0.0.1:6379");
    assertThat(errors(Map.of(), "redis:", "  url: \"redis://:" + SECRET + "@cache:63x79\"")).containsExactly(
        "rules.yaml:2:8: redis url 'redis://***@cache:63x79' has port '63x79'; a port is a number from 1 to 65535,"
            + " like redis://127.0.0.1:6379");
    assertThat(errors(Map.of(), "redis: \"redis://:" + SECRET + "@cache\"")).singleElement().asString()
        .doesNotContain("et@pw").contains("'redis://***@cache'");
  }

  @Test
  void usernameAndPasswordComeFromTheirKeysWithEnvironmentSubstitution() throws RulesException {
    RedisSettings redis = parse(Map.of("REDIS_USER", "app", "REDIS_PASSWORD", " " + SECRET + " "), "redis:",
        "  url: redis://cache:6379", "  username: ${REDIS_USER:-}", "  password: ${REDIS_PASSWORD:-}").redis().get();
    assertThat(redis.username()).contains("app");
    assertThat(redis.password()).as("a password is kept exactly, spaces included").contains(" " + SECRET + " ");
    assertThat(redis.toString()).doesNotContain(SECRET).contains("as app:***");
    assertThat(redis.toConfig().username()).contains("app");
    assertThat(redis.toConfig().password()).contains(" " + SECRET + " ");
  }

  @Test
  void emptySubstitutionMeansNoCredentials() throws RulesException {
    RedisSettings redis = parse(Map.of(), "redis:", "  url: redis://cache:6379", "  username: ${REDIS_USER:-}",
        "  password: ${REDIS_PASSWORD:-}").redis().get();
    assertThat(redis.username()).isEmpty();
    assertThat(redis.password()).isEmpty();
  }

  @Test
  void credentialsGivenTwiceAreRefused() {
    assertThat(errors(Map.of("P", SECRET), "redis:", "  url: \"redis://app:x@cache:6379\"", "  username: app",
        "  password: ${P}")).containsExactly(
        "rules.yaml:3:3: the user is given twice, in url: and in username:; keep one (username: keeps it out of the"
            + " URL)",
        "rules.yaml:4:3: the password is given twice, in url: and in password:; keep one (password: keeps it out of"
            + " the URL, and out of logs that print it by mistake)");
  }

  @Test
  void malformedVariableReferenceDoesNotQuoteItsDefault() {
    assertThat(errors(Map.of(), "redis:", "  url: redis://cache:6379", "  password: ${REDIS-PASSWORD:-" + SECRET
        + "}")).singleElement().asString().doesNotContain("et@pw").contains("${REDIS-PASSWORD:-...}");
  }

  @Test
  void sentinelPasswordAndDataNodeCredentialsAreRead() throws RulesException {
    RedisSettings redis = parse(Map.of("SENTINEL_PASSWORD", "sentinel-" + SECRET), "redis:",
        "  sentinel: {master: mymaster, nodes: [s1:26379], password: \"${SENTINEL_PASSWORD:-}\"}",
        "  username: app", "  password: \"" + SECRET + "\"").redis().get();
    assertThat(redis.sentinelPassword()).contains("sentinel-" + SECRET);
    var config = redis.toConfig();
    assertThat(config.sentinelPassword()).contains("sentinel-" + SECRET);
    assertThat(config.username()).contains("app");
    assertThat(config.password()).contains(SECRET);
    assertThat(config.toString()).doesNotContain(SECRET).isEqualTo("sentinel mymaster via [s1:26379] as app:***");
    assertThat(redis.toString()).doesNotContain(SECRET);
  }

  @Test
  void clusterNodesGetTheCredentials() throws RulesException {
    RedisSettings redis = parse(Map.of(), "redis:", "  cluster: [c1:7000, c2:7001]", "  password: \"" + SECRET
        + "\"").redis().get();
    assertThat(redis.toConfig().password()).contains(SECRET);
    assertThat(redis.toConfig().toString()).doesNotContain(SECRET);
  }

  @Test
  void redissTurnsTlsOnWithHostNameVerification() throws RulesException {
    RedisSettings redis = parse(Map.of(), "redis:", "  url: rediss://cache:6380").redis().get();
    assertThat(redis.tls()).contains(RedisTls.DEFAULT);
    assertThat(redis.tls().get().verifiesHostname()).isTrue();
    assertThat(parse(Map.of(), "redis:", "  url: redis://cache:6379").redis().get().tls()).isEmpty();
  }

  @Test
  void tlsSectionTurnsTlsOnAndNamesTheTrustStore(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> env = new HashMap<>();
    env.put("TRUST_PASSWORD", SECRET);
    RedisSettings redis = parse(env, "redis:", "  url: redis://cache:6379", "  tls:", "    trust-store: " + ca,
        "    trust-store-password: ${TRUST_PASSWORD}", "    verify-hostname: false").redis().get();
    RedisTls tls = redis.tls().orElseThrow();
    assertThat(tls.trustStore()).contains(ca);
    assertThat(tls.verifiesHostname()).isFalse();
    assertThat(redis.toString()).doesNotContain(SECRET);

    RedisSettings empty = parse(Map.of(), "redis:", "  cluster: [c1:7000]",
        "  tls: {trust-store: \"\", trust-store-password: \"\", verify-hostname: true}").redis().get();
    assertThat(empty.tls()).contains(RedisTls.DEFAULT);
  }

  @Test
  void tlsMistakesAreReported(@TempDir Path dir) {
    Path missing = dir.resolve("missing.p12");
    assertThat(errors(Map.of(), "redis:", "  url: rediss://cache:6380", "  tls:", "    trust-store: " + missing,
        "    verify-hostname: maybe", "    trustStore: x")).containsExactly(
        "rules.yaml:4:18: trust-store '" + missing + "' does not exist (a PKCS#12 or JKS key store, or a PEM file of"
            + " CA certificates; a relative path is taken from the working directory "
            + Path.of("").toAbsolutePath() + ")",
        "rules.yaml:5:22: 'maybe' is not a boolean; write true or false",
        "rules.yaml:6:5: unknown key 'trustStore' (did you mean 'trust-store'?)");
  }

  @Test
  void allowTypesBroaderThanAnApplicationPackageAreRefused() {
    List<String> errors = RulesYaml.errors("rules:", "  - name: price", "    method: com.acme.Catalog#price(..)",
        "    allow-types: [com.*, java.util.*, com.acme.dto.*, org.springframework.*, javax.management.Query,"
            + " org.apache.commons.collections.functors.*, com.acme.dto.Product]");
    assertThat(errors).containsExactly(
        "rules.yaml:4:19: allow-types entry 'com.*' admits every class under com.*, libraries included, and any of"
            + " them may be a deserialization gadget; name your application's package, with at least 2 package"
            + " names before .* (like com.acme.dto.*)",
        "rules.yaml:4:26: allow-types entry 'java.util.*' names the JDK (java.*), whose classes include"
            + " deserialization gadgets; the codec already decodes the JDK's value and collection types, so list"
            + " only your own classes (like com.acme.dto.*), or wrap the value in a class of yours",
        "rules.yaml:4:55: allow-types entry 'org.springframework.*' admits the library org.springframework.* (which"
            + " has deserialization gadgets); list the exact classes you cache, or your application's own package"
            + " (like com.acme.dto.*)",
        "rules.yaml:4:78: allow-types entry 'javax.management.Query' names the JDK (javax.*), whose classes include"
            + " deserialization gadgets; the codec already decodes the JDK's value and collection types, so list"
            + " only your own classes (like com.acme.dto.*), or wrap the value in a class of yours",
        "rules.yaml:4:102: allow-types entry 'org.apache.commons.collections.functors.*' admits a library's"
            + " classes (org.apache.*), which may be deserialization gadgets; list the exact classes you cache, or"
            + " your application's own package (like com.acme.dto.*)");
  }

  @Test
  void allowTypesDefaultsAreCheckedToo() {
    assertThat(RulesYaml.errors("defaults:", "  allow-types: [\"*\"]", "rules:", "  - name: price",
        "    method: com.acme.Catalog#price(..)")).containsExactly(
        "rules.yaml:2:17: allow-types entry '*' is neither a class name (com.acme.dto.Product,"
            + " com.acme.Outer$Inner) nor a package pattern (com.acme.dto.*)");
    assertThatThrownBy(() -> RulesYaml.parse("defaults:", "  allow-types: [jdk.*]", "rules:", "  - name: price",
        "    method: com.acme.Catalog#price(..)")).isInstanceOf(RulesException.class);
  }
}
