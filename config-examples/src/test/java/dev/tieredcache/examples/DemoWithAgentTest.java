package dev.tieredcache.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.tieredcache.examples.demo.DemoMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the demo as a user does, in a forked JVM with the built agent jar and demo-rules.yaml, and checks that it saw
 * every behaviour it shows. On the build JDK, and on Java 25 when it is installed (required when {@code CI=true}).
 */
class DemoWithAgentTest {

  static Stream<Path> javaHomes() {
    List<Path> homes = new ArrayList<>();
    homes.add(Path.of(System.getProperty("java.home")));
    String java25 = System.getProperty("java25.home", "");
    if (!java25.isEmpty() && Files.isExecutable(Path.of(java25, "bin", "java"))) {
      homes.add(Path.of(java25));
    } else if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("Java 25 is required on CI but not found at '" + java25 + "'");
    }
    return homes.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("javaHomes")
  void demoSeesEveryBehaviourWithTheAgent(Path javaHome) throws IOException, InterruptedException {
    Path agentJar = Path.of(System.getProperty("agent.jar", "../agent/target/tiered-cache-agent.jar"));
    if (!"true".equals(System.getenv("CI"))) {
      assumeThat(agentJar).as("the agent jar; build it with mvn -pl agent -am package").exists();
    }
    assertThat(agentJar).as("the agent jar; build it with mvn -pl agent -am package").exists();
    Path log = Files.createTempFile("demo", ".log");
    try {
      Process demo = new ProcessBuilder(javaHome.resolve("bin").resolve("java").toString(),
          "-javaagent:" + agentJar.toAbsolutePath() + "=demo-rules.yaml",
          "-cp", "target/classes", DemoMain.class.getName())
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      boolean ended = demo.waitFor(60, TimeUnit.SECONDS);
      if (!ended) {
        demo.destroyForcibly().waitFor();
      }
      String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
      assertThat(ended).as("the demo ended within 60 s; its output:\n" + output).isTrue();
      assertThat(demo.exitValue()).as("the demo's exit status; its output:\n" + output).isZero();
      assertThat(output).contains("all five behaviours seen").doesNotContain("[tiered-cache] ERROR");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
