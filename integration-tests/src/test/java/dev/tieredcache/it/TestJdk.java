package dev.tieredcache.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A JDK that the forked host JVMs run on: the one running the tests, and Java 25 (the two the product contract
 * promises). A JDK that is not installed skips its test cases with the reason, except on CI ({@code CI=true}), where
 * it fails them, so a build machine cannot silently stop testing a promised version.
 */
public final class TestJdk {

  /** The system property (set by the pom from {@code ${java25.home}}) naming the Java 25 home. */
  static final String JAVA25_HOME_PROPERTY = "java25.home";
  /** Where Java 25 lives when the property is not set, e.g. in an IDE run: the pom's default. */
  static final String DEFAULT_JAVA25_HOME = "/usr/lib/jvm/temurin-25-jdk-amd64";

  private final String label;
  private final Path home;
  private final int requiredFeature;

  private TestJdk(String label, Path home, int requiredFeature) {
    this.label = label;
    this.home = home;
    this.requiredFeature = requiredFeature;
  }

  /** Every JDK the scenarios run on; the source of {@link OnEachJdk}. */
  public static Stream<TestJdk> all() {
    List<TestJdk> jdks = new ArrayList<>();
    Path own = Path.of(System.getProperty("java.home"));
    jdks.add(testJvm());
    String configured = System.getProperty(JAVA25_HOME_PROPERTY);
    Path java25 = Path.of(configured == null || configured.isBlank() ? DEFAULT_JAVA25_HOME : configured.trim());
    if (!(Runtime.version().feature() == 25 && sameDirectory(own, java25))) {
      jdks.add(new TestJdk("Java 25", java25, 25));
    }
    return jdks.stream();
  }

  /**
   * The JDK running the tests, for scenarios that run on it alone (the Redis failure scenarios: what they test does
   * not depend on the Java version, and each takes seconds of real time).
   */
  public static TestJdk testJvm() {
    return new TestJdk("Java " + Runtime.version().feature() + " (test JVM)", Path.of(System.getProperty("java.home")),
        0);
  }

  /** The Java version (feature number) this JDK runs: 25, or the test JVM's own. */
  public int feature() {
    return requiredFeature > 0 ? requiredFeature : Runtime.version().feature();
  }

  /** The {@code java} launcher of this JDK. */
  Path javaLauncher() {
    boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
    return home.resolve("bin").resolve(windows ? "java.exe" : "java");
  }

  /**
   * Skips the running test when this JDK is not installed, or fails it when {@code CI=true}. A home that holds
   * another Java version than promised is a misconfiguration and always fails.
   */
  void requireInstalled() {
    if (!Files.isExecutable(javaLauncher())) {
      String problem = label + " is not installed: " + javaLauncher() + " is missing or not executable (set -D"
          + JAVA25_HOME_PROPERTY + "=<jdk home>, or the pom property java25.home)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(problem + "; CI=true, so a missing JDK fails the build instead of skipping");
      }
      Assumptions.abort(problem + "; skipped (with CI=true this fails)");
    }
    if (requiredFeature > 0) {
      String version = releaseVersion();
      if (version != null && !(version.equals(String.valueOf(requiredFeature))
          || version.startsWith(requiredFeature + "."))) {
        fail(label + " home " + home + " holds Java " + version + ", not Java " + requiredFeature
            + "; fix -D" + JAVA25_HOME_PROPERTY);
      }
    }
  }

  /** JAVA_VERSION from the JDK's {@code release} file, or null when it has none. */
  private String releaseVersion() {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release)) {
      return null;
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      p.load(in);
    } catch (IOException unreadable) {
      return null;
    }
    String v = p.getProperty("JAVA_VERSION");
    return v == null ? null : v.replace("\"", "").trim();
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /** The label shown as the name of each parameterised case, with the home it runs from. */
  @Override
  public String toString() {
    return label + " " + home;
  }
}
