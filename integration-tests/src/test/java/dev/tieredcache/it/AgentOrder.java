package dev.tieredcache.it;

/**
 * Where another Java agent's {@code -javaagent} stands on the command line relative to this one's. Agents start, and
 * their class file transformers run, in that order: the first agent's output is what the second one transforms, and
 * the second agent's advice ends up outermost in a method both instrument.
 */
public enum AgentOrder {
  OTHER_AGENT_FIRST("other agent first"),
  TIERED_CACHE_FIRST("tiered-cache first");

  private final String label;

  AgentOrder(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }
}
