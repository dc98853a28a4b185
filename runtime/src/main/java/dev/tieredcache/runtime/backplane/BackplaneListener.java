package dev.tieredcache.runtime.backplane;

/** What the backplane does to this instance's memory tier; implemented by the engine. */
public interface BackplaneListener {

  /** Another instance changed {@code entry}'s key (or rule): drop what is outdated. Returns false for an unknown rule. */
  boolean apply(BackplaneMessage.Entry entry);

  /** The subscription came back after a gap: every memory entry written before {@code resubscribedAt} is suspect. */
  void markAllStale(long resubscribedAt);
}
