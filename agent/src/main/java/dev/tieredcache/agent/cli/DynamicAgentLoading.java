package dev.tieredcache.agent.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What the JVM's {@code EnableDynamicAgentLoading} option means for attaching. With {@code -XX:-} the JVM refuses
 * agents loaded while it runs; from Java 21 on, without {@code -XX:+}, it accepts them but prints a warning on its
 * stderr (JEP 451), and a later release may refuse them by default.
 */
final class DynamicAgentLoading {

  static final String ENABLE = "-XX:+EnableDynamicAgentLoading";
  static final String DISABLE = "-XX:-EnableDynamicAgentLoading";
  /** The first Java version that warns about agents loaded late. */
  static final int WARNING_SINCE = 21;

  private DynamicAgentLoading() {}

  /** Whether an attach API error message is the JVM's refusal of agents loaded late. */
  static boolean isRefusal(String message) {
    return message != null && message.contains("EnableDynamicAgentLoading");
  }

  /** What to tell the user when the JVM refused. */
  static CommandFailure refused(long pid, Path jar, String agentArgument) {
    return new CommandFailure(CommandFailure.TARGET_FAILED,
        "JVM " + pid + " refuses agents loaded while it runs: it was started with " + DISABLE + ".",
        "Restart it without that option, or with " + ENABLE + ", to attach later; or start it with the agent"
            + " from the beginning: java -javaagent:" + jar + "="
            + (agentArgument.startsWith("-") ? "rules.yaml" : agentArgument) + " ...");
  }

  /**
   * The note to print after loading the agent into a JVM that warned about it: one of Java 21 or later, started
   * without {@link #ENABLE}.
   *
   * @param system the JVM's system properties
   * @param agent the JVM's agent properties ({@code sun.jvm.args} holds its options)
   */
  static Optional<String> warningNote(long pid, Properties system, Properties agent) {
    int feature = javaFeature(system.getProperty("java.specification.version", ""));
    String options = agent.getProperty("sun.jvm.args", "") + " " + agent.getProperty("sun.jvm.flags", "");
    if (feature < WARNING_SINCE || options.contains("+EnableDynamicAgentLoading")) {
      return Optional.empty();
    }
    return Optional.of("note: JVM " + pid + " runs Java " + feature + ", which prints a warning on its stderr"
        + " (\"WARNING: A Java agent has been loaded dynamically\", JEP 451) when an agent is loaded while it runs;"
        + " caching is not affected. Start it with " + ENABLE + " to attach without the warning: a later Java"
        + " release may refuse agents loaded late unless that option is given.");
  }

  /** 8 for {@code "1.8"}, 25 for {@code "25"}; 0 when unknown. */
  static int javaFeature(String specificationVersion) {
    String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
    int dot = v.indexOf('.');
    try {
      return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
