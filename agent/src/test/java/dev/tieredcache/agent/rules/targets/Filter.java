package dev.tieredcache.agent.rules.targets;

/** Has only the identity toString(): it cannot be part of a key as it is. */
public class Filter {

  private final String text;

  public Filter(String text) {
    this.text = text;
  }

  public String getText() {
    return text;
  }
}
