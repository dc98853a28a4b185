package dev.tieredcache.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything one rule says about how its values are cached: the fields of a rule in the rules file, with the
 * defaults filled in. Immutable; build one with {@link #builder()} (which starts from {@link #DEFAULTS}) or
 * {@link #toBuilder()}.
 *
 * <p>This is the single place where defaults live.
 */
public final class RulePolicy {

  /** Which tiers a rule's values are kept in. */
  public enum TierKind { MEMORY, REDIS }

  /** The policy a rule gets when the rules file leaves every key out. */
  public static final RulePolicy DEFAULTS = new Builder().build();

  private final String name;
  private final Duration ttl;
  private final Duration staleWhileRevalidate;
  private final Duration staleIfError;
  private final double jitterFraction;
  private final Duration jitterDuration;
  private final OptionalDouble refreshAhead;
  private final Duration errorBackoff;
  private final Duration loadTimeout;
  private final boolean cacheNulls;
  private final long maxEntries;
  private final boolean copyOnRead;
  private final boolean distributedLock;
  private final List<String> allowTypes;
  private final List<TierKind> tiers;

  private RulePolicy(Builder b) {
    this.name = b.name;
    this.ttl = b.ttl;
    this.staleWhileRevalidate = b.staleWhileRevalidate;
    this.staleIfError = b.staleIfError;
    this.jitterFraction = b.jitterFraction;
    this.jitterDuration = b.jitterDuration;
    this.refreshAhead = b.refreshAhead;
    this.errorBackoff = b.errorBackoff;
    this.loadTimeout = b.loadTimeout;
    this.cacheNulls = b.cacheNulls;
    this.maxEntries = b.maxEntries;
    this.copyOnRead = b.copyOnRead;
    this.distributedLock = b.distributedLock;
    this.allowTypes = List.copyOf(b.allowTypes);
    this.tiers = List.copyOf(b.tiers);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The rule's unique name; it appears in keys, metrics and logs. */
  public String name() { return name; }
  /** How long a value stays fresh after it is written (before jitter). */
  public Duration ttl() { return ttl; }
  /** After ttl: the stale value is served at once and refreshed in the background. */
  public Duration staleWhileRevalidate() { return staleWhileRevalidate; }
  /** After ttl: if a refresh fails, the stale value is still served this long. */
  public Duration staleIfError() { return staleIfError; }
  /** Random extra fresh time as a fraction of ttl, used when {@link #jitterDuration()} is empty. */
  public double jitterFraction() { return jitterFraction; }
  /** Random extra fresh time as a fixed upper bound, when the rules file gave a duration. */
  public Optional<Duration> jitterDuration() { return Optional.ofNullable(jitterDuration); }
  /** The fraction of ttl after which the first hit starts a background refresh; empty when off. */
  public OptionalDouble refreshAhead() { return refreshAhead; }
  /** How long to wait after a failed refresh before trying again (doubling, capped at 5 minutes). */
  public Duration errorBackoff() { return errorBackoff; }
  /** The longest a caller waits for another caller's in-flight load of the same key. */
  public Duration loadTimeout() { return loadTimeout; }
  public boolean cacheNulls() { return cacheNulls; }
  /** Bound of this rule's memory tier. */
  public long maxEntries() { return maxEntries; }
  public boolean copyOnRead() { return copyOnRead; }
  public boolean distributedLock() { return distributedLock; }
  /** Extra classes or packages ({@code com.acme.dto.*}) the codec may instantiate. */
  public List<String> allowTypes() { return allowTypes; }
  public List<TierKind> tiers() { return tiers; }

  /** The upper bound of random extra fresh time for a write. */
  public Duration maxJitter() {
    if (jitterDuration != null) {
      return jitterDuration;
    }
    return Duration.ofNanos((long) (ttl.toNanos() * jitterFraction));
  }

  /** How long a value stays usable after it turns stale: max(stale-while-revalidate, stale-if-error). */
  public Duration staleWindow() {
    return staleWhileRevalidate.compareTo(staleIfError) >= 0 ? staleWhileRevalidate : staleIfError;
  }

  public boolean usesTier(TierKind kind) {
    return tiers.contains(kind);
  }

  @Override
  public String toString() {
    return "RulePolicy{" + name + ", ttl=" + ttl + ", swr=" + staleWhileRevalidate + ", sie=" + staleIfError
        + ", jitter=" + (jitterDuration != null ? jitterDuration : jitterFraction) + ", refreshAhead=" + refreshAhead
        + ", errorBackoff=" + errorBackoff + ", loadTimeout=" + loadTimeout + ", cacheNulls=" + cacheNulls
        + ", maxEntries=" + maxEntries + ", tiers=" + tiers + "}";
  }

  /** Builds a {@link RulePolicy}; every field starts at its default. */
  public static final class Builder {
    private String name = "default";
    private Duration ttl = Duration.ofSeconds(30);
    private Duration staleWhileRevalidate = Duration.ofMinutes(1);
    private Duration staleIfError = Duration.ofHours(1);
    private double jitterFraction = 0.10;
    private Duration jitterDuration;
    private OptionalDouble refreshAhead = OptionalDouble.empty();
    private Duration errorBackoff = Duration.ofSeconds(5);
    private Duration loadTimeout = Duration.ofSeconds(10);
    private boolean cacheNulls = true;
    private long maxEntries = 10_000;
    private boolean copyOnRead;
    private boolean distributedLock;
    private List<String> allowTypes = List.of();
    private List<TierKind> tiers = List.of(TierKind.MEMORY, TierKind.REDIS);

    private Builder() {}

    private Builder(RulePolicy p) {
      name = p.name;
      ttl = p.ttl;
      staleWhileRevalidate = p.staleWhileRevalidate;
      staleIfError = p.staleIfError;
      jitterFraction = p.jitterFraction;
      jitterDuration = p.jitterDuration;
      refreshAhead = p.refreshAhead;
      errorBackoff = p.errorBackoff;
      loadTimeout = p.loadTimeout;
      cacheNulls = p.cacheNulls;
      maxEntries = p.maxEntries;
      copyOnRead = p.copyOnRead;
      distributedLock = p.distributedLock;
      allowTypes = p.allowTypes;
      tiers = p.tiers;
    }

    public Builder name(String v) { name = Objects.requireNonNull(v); return this; }
    public Builder ttl(Duration v) { ttl = nonNegative(v, "ttl"); return this; }
    public Builder staleWhileRevalidate(Duration v) { staleWhileRevalidate = nonNegative(v, "stale-while-revalidate"); return this; }
    public Builder staleIfError(Duration v) { staleIfError = nonNegative(v, "stale-if-error"); return this; }

    /** Jitter as a fraction of ttl, 0 to 1. */
    public Builder jitter(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("jitter fraction must be between 0 and 1: " + fraction);
      }
      jitterFraction = fraction;
      jitterDuration = null;
      return this;
    }

    /** Jitter as a fixed upper bound. */
    public Builder jitter(Duration v) { jitterDuration = nonNegative(v, "jitter"); return this; }

    /** Refresh ahead after this fraction of ttl (0 exclusive, 1 exclusive); empty turns it off. */
    public Builder refreshAhead(OptionalDouble v) {
      if (v.isPresent() && !(v.getAsDouble() > 0 && v.getAsDouble() < 1)) {
        throw new IllegalArgumentException("refresh-ahead must be between 0 and 1 (exclusive): " + v.getAsDouble());
      }
      refreshAhead = v;
      return this;
    }

    public Builder errorBackoff(Duration v) { errorBackoff = nonNegative(v, "error-backoff"); return this; }
    public Builder loadTimeout(Duration v) { loadTimeout = nonNegative(v, "load-timeout"); return this; }
    public Builder cacheNulls(boolean v) { cacheNulls = v; return this; }

    public Builder maxEntries(long v) {
      if (v < 1) {
        throw new IllegalArgumentException("max-entries must be at least 1: " + v);
      }
      maxEntries = v;
      return this;
    }

    public Builder copyOnRead(boolean v) { copyOnRead = v; return this; }
    public Builder distributedLock(boolean v) { distributedLock = v; return this; }
    public Builder allowTypes(List<String> v) { allowTypes = List.copyOf(v); return this; }

    public Builder tiers(List<TierKind> v) {
      if (v.isEmpty()) {
        throw new IllegalArgumentException("a rule needs at least one tier");
      }
      tiers = List.copyOf(v);
      return this;
    }

    public RulePolicy build() {
      return new RulePolicy(this);
    }

    private static Duration nonNegative(Duration d, String what) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }
  }
}
