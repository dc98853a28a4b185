package dev.tieredcache.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tieredcache.agent.cli.CommandLine;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
