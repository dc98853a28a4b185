package dev.tieredcache.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validate command prints a summary and exits 0 for a good file, every problem and 1 for a bad one. */
class ValidateCommandTest {

  private static final String T = "dev.tieredcache.agent.rules.targets.";

  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    List<String> words = new ArrayList<>(Arrays.asList(args));
    if (words.isEmpty() || !words.get(0).equals("validate")) {
      words.add(0, "validate");
    }
    return CommandLine.run(words.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private Path rulesFile(String... lines) throws IOException {
    Path file = dir.resolve("rules.yaml");
    Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private static String testClasses() throws URISyntaxException {
    return Paths.get(ValidateCommandTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private Path validRules() throws IOException {
    return rulesFile(
        "rules:",
        "  - name: price",
        "    method: " + T + "Catalog#price(java.lang.String)",
        "    key: \"{0}\"",
        "    ttl: 5s",
        "  - name: label",
        "    method: " + T + "Catalog#label(..)",
        "  - name: product-saved",
        "    method: " + T + "Catalog#save(..)",
        "    evict: {rule: price, key: \"{0.id}\"}");
  }

  @Test
  void validFileGivesASummaryAndExitCodeZero() throws Exception {
    Path file = validRules();
    assertThat(run("validate", file.toString(), "--classpath", testClasses())).isZero();
    assertThat(out()).isEqualTo(String.join(System.lineSeparator(),
        "price  " + T + "Catalog#price(java.lang.String)  key={0}  ttl=5s swr=1m sie=1h tiers=[memory]",
        "label  " + T + "Catalog#label(..)  key=(all arguments)  ttl=30s swr=1m sie=1h tiers=[memory]",
        "evict product-saved -> price key={0.id}  " + T + "Catalog#save(..)",
        "OK: 3 rules", ""));
    assertThat(err()).isEmpty();
  }

  @Test
  void relativeTestClassesDirectoryWorksAsClassPath() throws Exception {
    Path relative = Paths.get("").toAbsolutePath().relativize(Paths.get(testClasses()));
    assertThat(run(validRules().toString(), "--classpath", relative.toString())).isZero();
    assertThat(out()).endsWith("OK: 3 rules" + System.lineSeparator());
  }

  @Test
  void invalidFilePrintsEveryErrorAndExitCodeOne() throws Exception {
    Path file = rulesFile("rules:", "  - name: price", "    method: a.B#c(..)", "    tll: 5s", "    jitter: lots");
    assertThat(run(file.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo(String.join(System.lineSeparator(),
        file + ":4:5: unknown key 'tll' (did you mean 'ttl'?)",
        file + ":5:13: 'lots' is not a jitter; write a percentage of ttl (10%), a fraction (0.1) or a duration (2s)",
        ""));
    assertThat(out()).isEmpty();
  }

  @Test
  void problemWithTheTargetClassGivesExitCodeOne() throws Exception {
    Path file = rulesFile("rules:", "  - name: save", "    method: " + T + "Catalog#save(..)");
    assertThat(run(file.toString(), "--classpath=" + testClasses())).isEqualTo(1);
    assertThat(err()).isEqualTo(file + ":3:13: " + T + "Catalog#save returns void; void methods cannot be cached"
        + " (use evict: to evict on it)" + System.lineSeparator());
  }

  @Test
  void classNotOnTheClassPathIsAWarningAndStillValid() throws Exception {
    Path file = rulesFile("rules:", "  - name: price", "    method: com.acme.Catalog#price(java.lang.String)");
    assertThat(run(file.toString())).isZero();
    assertThat(err()).isEqualTo(file + ":3:13: warning: com.acme.Catalog not found on the class path; checked when"
        + " it loads" + System.lineSeparator());
    assertThat(out()).endsWith("OK: 1 rule" + System.lineSeparator());
  }

  @Test
  void jdkClassesAreAlwaysSeen() throws Exception {
    Path file = rulesFile("rules:", "  - name: clear", "    method: java.util.ArrayList#clear()");
    assertThat(run(file.toString())).isEqualTo(1);
    assertThat(err()).contains("java.util.ArrayList#clear returns void");
  }

  @Test
  void starEntryMeansEveryJarInTheDirectory() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    try (OutputStream file = Files.newOutputStream(lib.resolve("targets.jar"));
        JarOutputStream jar = new JarOutputStream(file)) {
      Path classes = Paths.get(testClasses());
      for (String name : new String[] {"Catalog", "Product", "Owner", "Filter", "Labelled"}) {
        String entry = T.replace('.', '/') + name + ".class";
        jar.putNextEntry(new JarEntry(entry));
        jar.write(Files.readAllBytes(classes.resolve(entry)));
        jar.closeEntry();
      }
    }
    Path file = rulesFile("rules:", "  - name: save", "    method: " + T + "Catalog#save(..)");
    assertThat(run(file.toString(), "--classpath", lib + File.separator + "*")).isEqualTo(1);
    assertThat(err()).contains("Catalog#save returns void");
  }

  @Test
  void usageErrorsGiveExitCodeTwo() throws Exception {
    assertThat(run()).isEqualTo(2);
    assertThat(err()).isEqualTo("validate: no rules file given" + System.lineSeparator() + ValidateCommand.USAGE
        + System.lineSeparator());
    Path file = validRules();
    assertThat(run(file.toString(), "--classpath")).isEqualTo(2);
    assertThat(run(file.toString(), "--verbose")).isEqualTo(2);
    assertThat(run(file.toString(), "other.yaml")).isEqualTo(2);
    assertThat(run(file.toString(), "--classpath", dir.resolve("missing.jar").toString())).isEqualTo(2);
    assertThat(err()).contains("validate: class path entry " + dir.resolve("missing.jar") + " does not exist");
    assertThat(out()).isEmpty();
  }

  @Test
  void missingRulesFileGivesExitCodeOne() {
    Path missing = dir.resolve("nope.yaml");
    assertThat(run(missing.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo(missing + ":1:1: cannot read the rules file: it does not exist"
        + System.lineSeparator());
  }
}
