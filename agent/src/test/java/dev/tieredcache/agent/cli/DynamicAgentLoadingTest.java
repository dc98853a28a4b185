package dev.tieredcache.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The note after attaching: only for a JVM of Java 21 or later that was not started with the option. */
class DynamicAgentLoadingTest {

  private static Properties system(String version) {
    Properties p = new Properties();
    p.setProperty("java.specification.version", version);
    return p;
  }

  private static Properties options(String jvmArgs) {
    Properties p = new Properties();
    p.setProperty("sun.jvm.args", jvmArgs);
    return p;
  }

  @Test
  void java25WithoutTheOptionGetsTheNote() {
    assertThat(DynamicAgentLoading.warningNote(42, system("25"), options("-Xmx1g"))).hasValueSatisfying(note ->
        assertThat(note).startsWith("note: JVM 42 runs Java 25, which prints a warning")
            .contains("JEP 451", "-XX:+EnableDynamicAgentLoading"));
  }

  @Test
  void java25WithTheOptionGetsNoNote() {
    assertThat(DynamicAgentLoading.warningNote(42, system("25"), options("-Xmx1g -XX:+EnableDynamicAgentLoading")))
        .isEmpty();
  }

  @Test
  void java17NeverWarnsSoGetsNoNote() {
    assertThat(DynamicAgentLoading.warningNote(42, system("17"), options(""))).isEmpty();
    assertThat(DynamicAgentLoading.warningNote(42, system("1.8"), new Properties())).isEmpty();
  }

  @Test
  void javaVersionsAreReadFromTheSpecificationVersion() {
    assertThat(DynamicAgentLoading.javaFeature("1.8")).isEqualTo(8);
    assertThat(DynamicAgentLoading.javaFeature("21")).isEqualTo(21);
    assertThat(DynamicAgentLoading.javaFeature("25.0.1")).isEqualTo(25);
    assertThat(DynamicAgentLoading.javaFeature("")).isZero();
  }

  @Test
  void theJvmsRefusalIsRecognisedInBothWordings() {
    // Java 17: the attach API's wording; Java 25: the JVM's own
    assertThat(DynamicAgentLoading.isRefusal("Failed to load agent library: Dynamic agent loading is not enabled."
        + " Use -XX:+EnableDynamicAgentLoading to launch target VM.")).isTrue();
    assertThat(DynamicAgentLoading.isRefusal("Dynamic agent loading is not enabled. Use"
        + " -XX:+EnableDynamicAgentLoading to launch target VM.")).isTrue();
    assertThat(DynamicAgentLoading.isRefusal("Failed to load agent library: agent jar not found")).isFalse();
  }
}
