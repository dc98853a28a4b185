package dev.tieredcache.agent.cli;

/**
 * Whether this Java runtime can attach to other JVMs: only a JDK has the {@code jdk.attach} module. The commands that
 * reach a running JVM check this before any class of the attach API is touched, so that a JRE gets a message, not a
 * {@code NoClassDefFoundError}.
 */
final class AttachApi {

  static final String MODULE = "jdk.attach";

  private AttachApi() {}

  /**
   * Returns when the attach API is there.
   *
   * @throws CommandFailure {@link CommandFailure#TARGET_FAILED} with what to do instead
   */
  static void requireAvailable() throws CommandFailure {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      throw missing();
    }
  }

  /** The message for a runtime without {@code jdk.attach}. */
  static CommandFailure missing() {
    return new CommandFailure(CommandFailure.TARGET_FAILED,
        "this Java runtime (" + System.getProperty("java.home") + ") has no " + MODULE + " module, so it cannot"
            + " attach to another JVM: it is a JRE, or an image built without that module.",
        "Run the command with the java of a JDK (version 11 or later; the application itself may run on a JRE),"
            + " or load the agent with the JDK's jcmd: jcmd <pid> JVMTI.agent_load /path/tiered-cache-agent.jar"
            + " /path/rules.yaml");
  }
}
