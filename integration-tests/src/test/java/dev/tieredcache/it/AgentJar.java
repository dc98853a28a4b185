package dev.tieredcache.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shaded agent jar under test, as the build left it (never the agent's classes on the test class path). */
public final class AgentJar {

  /** The system property, set by the pom, that holds the jar's path. */
  static final String PROPERTY = "agent.jar";

  private AgentJar() {}

  /** The jar's path; fails the test when it is not configured or not built. */
  public static Path path() {
    String configured = System.getProperty(PROPERTY);
    if (configured == null || configured.isBlank()) {
      fail("-D" + PROPERTY + " is not set; run the tests through Maven (integration-tests/pom.xml sets it)");
    }
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      fail("the agent jar " + jar + " does not exist; build it first: mvn -o install -DskipTests -pl runtime,agent");
    }
    return jar;
  }
}
