package dev.tieredcache.agent.jmx;

import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.backplane.Backplane;
import dev.tieredcache.runtime.redis.RedisConnection;
import java.time.Instant;
import java.util.function.IntSupplier;

/** {@link AgentMBean} over the running agent: its rules file, its cache's Redis and backplane, its instrumentation. */
final class AgentStatus implements AgentMBean {

  /** What {@link #getVersion()} says when the classes do not come from the agent jar (tests, IDE runs). */
  static final String UNKNOWN_VERSION = "unknown (not run from tiered-cache-agent.jar)";

  private final String rulesFile;
  private final int rulesLoaded;
  private final int cachingRules;
  private final String loadedAt;
  private final TieredCache cache;
  private final IntSupplier instrumentedMethods;
  private final IntSupplier transformErrors;

  AgentStatus(String rulesFile, RulesFile rules, TieredCache cache, IntSupplier instrumentedMethods,
      IntSupplier transformErrors, Instant loadedAt) {
    this.rulesFile = rulesFile;
    this.rulesLoaded = rules.rules().size();
    this.cachingRules = (int) rules.rules().stream().filter(RuleSpec::cachesValues).count();
    this.loadedAt = loadedAt.toString();
    this.cache = cache;
    this.instrumentedMethods = instrumentedMethods;
    this.transformErrors = transformErrors;
  }

  /** The version in the agent jar's manifest. */
  static String version() {
    String version = AgentStatus.class.getPackage().getImplementationVersion();
    return version != null ? version : UNKNOWN_VERSION;
  }

  @Override
  public String getVersion() {
    return version();
  }

  @Override
  public String getRulesFile() {
    return rulesFile;
  }

  @Override
  public String getLoadedAt() {
    return loadedAt;
  }

  @Override
  public int getRulesLoaded() {
    return rulesLoaded;
  }

  @Override
  public int getCachingRules() {
    return cachingRules;
  }

  @Override
  public int getEvictRules() {
    return rulesLoaded - cachingRules;
  }

  @Override
  public int getInstrumentedMethods() {
    return instrumentedMethods.getAsInt();
  }

  @Override
  public int getTransformErrors() {
    return transformErrors.getAsInt();
  }

  @Override
  public String getNamespace() {
    return cache.namespace();
  }

  @Override
  public String getRedis() {
    return cache.redis().map(r -> r.config().toString()).orElse("not configured");
  }

  @Override
  public String getRedisState() {
    return cache.redis().map(r -> r.isCircuitOpen() ? "circuit open" : "in use").orElse("not configured");
  }

  @Override
  public boolean isCircuitOpen() {
    return cache.redis().map(RedisConnection::isCircuitOpen).orElse(false);
  }

  @Override
  public String getBackplaneState() {
    return cache.backplane()
        .map(b -> b.isSubscribed() ? "subscribed to " + b.channel() : "not subscribed (reconnecting)")
        .orElse("off");
  }

  @Override
  public long getBackplaneReceived() {
    return cache.backplane().map(Backplane::received).orElse(0L);
  }

  @Override
  public long getBackplaneMalformed() {
    return cache.backplane().map(Backplane::malformed).orElse(0L);
  }

  @Override
  public long getBackplaneReconnects() {
    return cache.backplane().map(Backplane::reconnects).orElse(0L);
  }
}
