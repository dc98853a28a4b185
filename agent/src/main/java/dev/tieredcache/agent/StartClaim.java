package dev.tieredcache.agent;

/**
 * The one start of the agent that a JVM allows. A second {@code premain} or {@code agentmain} (the jar given twice
 * with {@code -javaagent}, or attached to a JVM that already runs it) must not set up a second instrumentation
 * beside the first: the advice the first one inlined would reach the second one's sites.
 *
 * <p>The claim is a system property that holds the rules file of the start that took it. Every start sees it,
 * whichever class loader defined this copy of the agent's classes, and taking it is atomic.
 */
public final class StartClaim {

  /** The system property that holds the rules file of the running agent; the command line reads it by attaching. */
  public static final String PROPERTY = "tiered.cache.agent.running";

  private StartClaim() {}

  /**
   * Claims the start for {@code rulesFile}.
   *
   * @return {@code null} when this start holds the claim now, else the rules file of the start that holds it
   */
  static String take(String rulesFile) {
    Object holder = System.getProperties().putIfAbsent(PROPERTY, rulesFile);
    return holder == null ? null : String.valueOf(holder);
  }

  /** Gives the claim up after a start that installed nothing, so that a later start may try again. */
  static void release() {
    System.getProperties().remove(PROPERTY);
  }
}
