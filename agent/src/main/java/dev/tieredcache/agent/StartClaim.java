package dev.tieredcache.agent;

/**
 * The rules file of the agent running in this JVM, in a system property: every copy of the agent's classes sees it
 * (whichever class loader defined them), and the {@code attach} and {@code list} commands read it through the
 * Attach API. Set when the agent starts or its rules are replaced, removed when it is detached.
 */
final class StartClaim {

  /** The system property that holds the rules file of the running agent. */
  static final String PROPERTY = "tiered.cache.agent.running";

  private StartClaim() {}

  /** The rules file of the running agent, or {@code null} when none runs. */
  static String holder() {
    Object holder = System.getProperties().get(PROPERTY);
    return holder == null ? null : String.valueOf(holder);
  }

  /** Records that the agent runs with the rules from {@code rulesFile}. */
  static void hold(String rulesFile) {
    System.getProperties().put(PROPERTY, rulesFile);
  }

  /** Records that no agent runs any more. */
  static void release() {
    System.getProperties().remove(PROPERTY);
  }
}
