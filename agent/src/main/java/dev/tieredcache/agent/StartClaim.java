package dev.tieredcache.agent;

/**
 * The rules file of the agent running in this JVM, in a system property: every copy of the agent's classes sees it
 * (whichever class loader defined them), and the {@code attach} and {@code list} commands read it through the
 * Attach API. Set when the agent starts or its rules are replaced, removed when it is detached.
 */
public final class StartClaim {

  /** The system property that holds the rules file of the running agent; the command line reads it by attaching. */
  public static final String PROPERTY = "tiered.cache.agent.running";

  private StartClaim() {}

  /** The rules file of the running agent, or {@code null} when none runs. */
  static String holder() {
    Object holder = System.getProperties().get(PROPERTY);
    return holder == null ? null : String.valueOf(holder);
  }

  /**
   * The system property that counts the rules loaded in this JVM (the first start and every replacement), so that
   * {@code attach} can tell a file loaded again from one refused.
   */
  public static final String LOADS_PROPERTY = "tiered.cache.agent.loads";

  /** Records that the agent runs with the rules from {@code rulesFile}, loaded just now. */
  static void hold(String rulesFile) {
    Object loads = System.getProperties().get(LOADS_PROPERTY);
    long count = 0;
    try {
      count = loads == null ? 0 : Long.parseLong(String.valueOf(loads));
    } catch (NumberFormatException ignored) {
      // someone else's value: start counting again
    }
    System.getProperties().put(LOADS_PROPERTY, String.valueOf(count + 1));
    System.getProperties().put(PROPERTY, rulesFile);
  }

  /** Records that no agent runs any more. */
  static void release() {
    System.getProperties().remove(PROPERTY);
  }
}
