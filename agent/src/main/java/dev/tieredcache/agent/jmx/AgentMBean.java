package dev.tieredcache.agent.jmx;

/** The running agent, as read-only JMX attributes of {@code dev.tieredcache:type=Agent}. */
public interface AgentMBean {

  /** The agent jar's version. */
  String getVersion();

  /** The absolute path of the rules file in use. */
  String getRulesFile();

  /** When the rules file was loaded, ISO-8601 in UTC. */
  String getLoadedAt();

  /** Rules in the file: caching and evict rules. */
  int getRulesLoaded();

  /** Rules that cache the methods they name. */
  int getCachingRules();

  /** Rules that evict entries of another rule after their method returns. */
  int getEvictRules();

  /** Methods instrumented so far (a method of a class not loaded yet is instrumented when it loads). */
  int getInstrumentedMethods();

  /** Classes that could not be instrumented and run uncached; a healthy agent has none. */
  int getTransformErrors();

  /** The prefix of every Redis key and of the backplane channel. */
  String getNamespace();

  /** Where Redis is (without credentials), or {@code not configured}. */
  String getRedis();

  /** {@code not configured}, {@code in use}, or {@code circuit open} (calls skip Redis until a probe succeeds). */
  String getRedisState();

  /** True while the circuit breaker keeps calls away from Redis. */
  boolean isCircuitOpen();

  /** {@code off}, {@code subscribed to <channel>}, or {@code not subscribed (reconnecting)}. */
  String getBackplaneState();

  /** Backplane messages received from other instances. */
  long getBackplaneReceived();

  /** Backplane messages that could not be read and were ignored. */
  long getBackplaneMalformed();

  /** Times the backplane subscription was made again after it dropped. */
  long getBackplaneReconnects();
}
