package dev.tieredcache.agent.rules;

import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.RulePolicy.TierKind;
import dev.tieredcache.runtime.codec.AllowTypesEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the caching keys that {@code defaults:} and every rule share (ttl, stale-while-revalidate, ...) onto a
 * {@link RulePolicy.Builder}. The defaults themselves live in {@link RulePolicy}; a key left out keeps the builder's
 * value.
 */
final class PolicyReader {

  /** The keys of {@code defaults:}, which a rule may override, in the order of the product contract. */
  static final List<String> POLICY_KEYS = Collections.unmodifiableList(Arrays.asList(
      "ttl", "stale-while-revalidate", "stale-if-error", "jitter", "refresh-ahead", "error-backoff", "load-timeout",
      "cache-nulls", "max-entries", "copy-on-read", "distributed-lock", "allow-types", "tiers"));

  private static final String JITTER_FORMS = "a percentage of ttl (10%), a fraction (0.1) or a duration (2s)";

  private final ErrorCollector errors;
  private final boolean hasRedis;

  /** @param hasRedis whether the file has a {@code redis:} section; without one, no rule may ask for Redis */
  PolicyReader(ErrorCollector errors, boolean hasRedis) {
    this.errors = errors;
    this.hasRedis = hasRedis;
  }

  /** Applies every policy key present in {@code section} to {@code builder}. */
  void apply(MappingReader section, RulePolicy.Builder builder) {
    section.duration("ttl").ifPresent(builder::ttl);
    section.duration("stale-while-revalidate").ifPresent(builder::staleWhileRevalidate);
    section.duration("stale-if-error").ifPresent(builder::staleIfError);
    section.valueNode("jitter").ifPresent(node -> section.scalar("jitter", node)
        .ifPresent(text -> jitter(node, text, builder)));
    section.value("refresh-ahead", PolicyReader::refreshAhead).ifPresent(builder::refreshAhead);
    section.duration("error-backoff").ifPresent(builder::errorBackoff);
    section.duration("load-timeout").ifPresent(builder::loadTimeout);
    section.bool("cache-nulls").ifPresent(builder::cacheNulls);
    section.value("max-entries", text -> ValueSyntax.wholeNumber(text, "max-entries", 1)).ifPresent(builder::maxEntries);
    section.bool("copy-on-read").ifPresent(builder::copyOnRead);
    section.bool("distributed-lock").ifPresent(on -> {
      if (on && !hasRedis) {
        errors.at(section.valueNode("distributed-lock").get(),
            "distributed-lock needs a redis: section; add one, or remove distributed-lock");
      }
      builder.distributedLock(on);
    });
    section.list("allow-types", "[com.acme.dto.*]").ifPresent(nodes -> builder.allowTypes(allowTypes(section, nodes)));
    section.list("tiers", "[memory, redis]").ifPresent(nodes -> tiers(section, nodes).ifPresent(builder::tiers));
  }

  private void jitter(Node node, String text, RulePolicy.Builder builder) {
    Double percent = ValueSyntax.percentOrNull(text);
    Double fraction = percent != null ? percent : ValueSyntax.decimalOrNull(text);
    if (fraction != null) {
      if (fraction > 1) {
        errors.at(node, "jitter '" + text + "' is more than all of ttl; write " + JITTER_FORMS + " of at most 100%");
      } else {
        builder.jitter(fraction);
      }
    } else if (ValueSyntax.looksLikeDuration(text)) {
      durationAt(node, text).ifPresent(builder::jitter);
    } else {
      errors.at(node, "'" + text + "' is not a jitter; write " + JITTER_FORMS);
    }
  }

  private Optional<Duration> durationAt(Node node, String text) {
    try {
      return Optional.of(ValueSyntax.duration(text));
    } catch (IllegalArgumentException e) {
      errors.at(node, e.getMessage());
      return Optional.empty();
    }
  }

  private static OptionalDouble refreshAhead(String text) {
    if (text.equals("off")) {
      return OptionalDouble.empty();
    }
    Double percent = ValueSyntax.percentOrNull(text);
    Double fraction = percent != null ? percent : ValueSyntax.decimalOrNull(text);
    if (fraction == null || !(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("refresh-ahead '" + text + "' must be a fraction of ttl between 0 and 1"
          + " (exclusive), like 0.8, or off");
    }
    return OptionalDouble.of(fraction);
  }

  /** The entries that the codec may use; a broad or malformed one is an error at its position. */
  private List<String> allowTypes(MappingReader section, List<Node> nodes) {
    List<String> types = new ArrayList<>();
    for (Node node : nodes) {
      section.scalar("an element of 'allow-types'", node).ifPresent(entry -> {
        Optional<String> problem = AllowTypesEntry.problem(entry);
        if (problem.isPresent()) {
          errors.at(node, problem.get());
        } else {
          types.add(entry);
        }
      });
    }
    return types;
  }

  private Optional<List<TierKind>> tiers(MappingReader section, List<Node> nodes) {
    Node listNode = section.valueNode("tiers").get();
    if (nodes.isEmpty()) {
      errors.at(listNode, "'tiers' is empty; list memory, redis or both");
      return Optional.empty();
    }
    List<TierKind> tiers = new ArrayList<>();
    boolean ok = true;
    for (Node node : nodes) {
      Optional<String> text = section.scalar("an element of 'tiers'", node);
      if (text.isEmpty()) {
        ok = false;
        continue;
      }
      TierKind tier;
      if (text.get().equals("memory")) {
        tier = TierKind.MEMORY;
      } else if (text.get().equals("redis")) {
        tier = TierKind.REDIS;
      } else {
        errors.at(node, "'" + text.get() + "' is not a tier; write memory or redis");
        ok = false;
        continue;
      }
      if (tiers.contains(tier)) {
        errors.at(node, "tier '" + text.get() + "' is listed twice; list each tier once");
        ok = false;
      } else {
        tiers.add(tier);
      }
    }
    if (ok && tiers.contains(TierKind.REDIS) && !hasRedis) {
      errors.at(listNode, "tiers lists redis but the file has no redis: section; add one, or write tiers: [memory]");
      ok = false;
    }
    return ok ? Optional.of(tiers) : Optional.empty();
  }

  /** How a tier is written in the rules file and in summaries. */
  static String tierName(TierKind tier) {
    return tier.name().toLowerCase(Locale.ROOT);
  }
}
