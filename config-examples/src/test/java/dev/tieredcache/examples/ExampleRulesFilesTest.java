package dev.tieredcache.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tieredcache.agent.cli.CommandLine;
import dev.tieredcache.agent.rules.RedisSettings;
import dev.tieredcache.agent.rules.RulesException;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rules file users copy from config-examples/ is valid, and the demo's rules name the demo's methods. */
class ExampleRulesFilesTest {

  /** The module directory, where surefire runs the tests. */
  private static final Path EXAMPLES = Path.of("").toAbsolutePath();

  static List<Path> exampleFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(EXAMPLES)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
    }
    assertThat(files).as("rules files (*.yaml) in " + EXAMPLES).isNotEmpty();
    return files;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exampleFiles")
  void exampleParsesWithoutErrors(Path file) {
    RulesFile rules;
    try {
      rules = RulesParser.parse(EXAMPLES.relativize(file));
    } catch (RulesException e) {
      throw new AssertionError(file.getFileName() + " has errors:\n" + e.getMessage(), e);
    }
    assertThat(rules.rules()).as("rules of " + file.getFileName()).isNotEmpty();
  }

  @Test
  void secureRedisExampleTakesUserPasswordAndCaFileFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    String password = "p@ss/w%rd with space";
    Map<String, String> env = Map.of("REDIS_USER", "app", "REDIS_PASSWORD", password, "REDIS_CA_FILE", ca.toString());
    RedisSettings redis = RulesParser.parse(Path.of("secure-redis.yaml"), env::get).redis().orElseThrow();
    assertThat(redis.username()).contains("app");
    assertThat(redis.password()).contains(password);
    var tls = redis.tls().orElseThrow();   // the runtime's RedisTls, relocated in the agent jar
    assertThat(tls.trustStore()).contains(ca);
    assertThat(tls.verifiesHostname()).isTrue();
    assertThat(redis.toConfig().toString()).isEqualTo("rediss://redis.internal:6380 as app:*** (tls trusting " + ca
        + ")");
    assertThat(redis.toString()).doesNotContain(password);

    RedisSettings withoutEnvironment = RulesParser.parse(Path.of("secure-redis.yaml"), name -> null).redis()
        .orElseThrow();
    assertThat(withoutEnvironment.password()).isEmpty();
    assertThat(withoutEnvironment.tls().orElseThrow().trustStore()).as("TLS with the JVM's CAs").isEmpty();
    assertThat(withoutEnvironment.tls().orElseThrow().verifiesHostname()).isTrue();
  }

  @Test
  void demoRulesMatchTheDemoMethods() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = CommandLine.run(new String[] {"validate", "demo-rules.yaml", "--classpath", "target/classes"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    if (exit != 0) {
      fail("validate demo-rules.yaml --classpath target/classes exited with " + exit + "\nstdout:\n"
          + out.toString(StandardCharsets.UTF_8) + "\nstderr:\n" + err.toString(StandardCharsets.UTF_8));
    }
  }
}
