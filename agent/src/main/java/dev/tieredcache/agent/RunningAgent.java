package dev.tieredcache.agent;

import dev.tieredcache.agent.instrument.CachingInstrumentation;
import dev.tieredcache.agent.jmx.JmxRegistration;
import dev.tieredcache.agent.log.AgentLog;
import dev.tieredcache.agent.micrometer.MicrometerExport;
import dev.tieredcache.agent.prometheus.PrometheusEndpoint;
import dev.tieredcache.agent.prometheus.PrometheusServer;
import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import java.lang.instrument.Instrumentation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent running in this JVM: its rules, its runtime and its instrumentation. The first start (premain or
 * agentmain) makes it; a later start replaces its rules (attaching again, or {@code watch: true} seeing the file
 * change); {@code --detach} removes it, leaving every method as it was and no thread behind. One at a time: every
 * operation holds this class's lock.
 */
final class RunningAgent {

  /** The agent argument that detaches the running agent. */
  static final String DETACH = "--detach";

  private static final Logger LOG = LoggerFactory.getLogger(RunningAgent.class);
  private static RunningAgent current;

  private final Instrumentation inst;
  private final CachingInstrumentation instrumentation = new CachingInstrumentation();
  private TieredCache cache;
  private RulesFile rules;
  private String rulesFile;
  private Thread flushAtExit;
  private RulesWatch watch;
  private UnmatchedRulesCheck unmatched;
  /** The periodic stats lines ({@code metrics.stats-interval}); null when off. */
  private StatsLog stats;
  /** The MBeans of the rules in place; null without (metrics.jmx: false, or JMX refused them). */
  private JmxRegistration mbeans;
  /** The rules' meters in the host's Micrometer, while {@code metrics.micrometer} is true. */
  private final MicrometerExport micrometer = new MicrometerExport();
  /** The Prometheus endpoint of the rules in place; null without (metrics.prometheus unset, or it could not bind). */
  private PrometheusServer prometheus;

  private RunningAgent(Instrumentation inst) {
    this.inst = inst;
  }

  /** Starts the agent with {@code rules} from {@code rulesFile} (absolute), or replaces the running one's rules. */
  static synchronized void startOrReplace(Instrumentation inst, RulesFile rules, String rulesFile) {
    if (current == null) {
      RunningAgent agent = new RunningAgent(inst);
      agent.start(rules, rulesFile);
      current = agent;
    } else {
      current.replace(rules, rulesFile);
    }
  }

  /** True if this copy of the agent's classes runs the agent of this JVM. */
  static synchronized boolean isRunning() {
    return current != null;
  }

  /** Detaches the running agent; says so when none runs. */
  static synchronized void detach() {
    if (current == null) {
      System.err.println(AgentLog.PREFIX + "WARN detach: the agent is not running in this JVM; nothing to do");
      return;
    }
    RunningAgent agent = current;
    current = null;
    agent.stop();
  }

  /** Reloads the rules from the file the running agent uses (for {@code watch: true}); false if none runs. */
  static synchronized void reload(String rulesFile) {
    if (current == null || !rulesFile.equals(current.rulesFile)) {
      return;
    }
    RulesFile rules = AgentStartup.read(rulesFile, AgentStartup.Refusal.KEEP_RUNNING_RULES);
    if (rules != null) {
      current.replace(rules, rulesFile);
    }
  }

  private void start(RulesFile rules, String rulesFile) {
    AgentLog.setLevel(rules.logLevel());
    this.cache = AgentStartup.newCache(rules);
    int cached = 0;
    for (RuleSpec rule : rules.rules()) {
      if (rule.cachesValues()) {
        cache.addRule(rule.policy());
        cached++;
      }
    }
    instrumentation.onFirstCall(micrometer::firstCall);
    instrumentation.install(inst, rules, cache);
    flushAtExit();
    inPlace(rules, rulesFile);
    long batches = rules.rules().stream().filter(r -> r.batch().isPresent()).count();
    LOG.info("started: {} caching{} and {} evict rules from {} (tiers: {}); rules: {}", cached,
        batches == 0 ? "" : ", " + batches + " batch", rules.rules().size() - cached - batches, rulesFile,
        describe(cache), names(rules));
  }

  /**
   * Replaces the rules: a caching rule kept with the same name and method keeps its entries (its new policy applies
   * to new writes), new rules start empty, rules left out are dropped, and methods no longer named run their
   * original code. When the namespace, Redis or backplane settings change, a new runtime replaces the old one and
   * every rule starts empty.
   */
  private void replace(RulesFile next, String nextFile) {
    AgentLog.setLevel(next.logLevel());
    Set<String> before = cachingRuleNames(rules);
    Set<String> kept = new LinkedHashSet<>();
    List<RulePolicy> policies = new ArrayList<>();
    for (RuleSpec rule : next.rules()) {
      if (!rule.cachesValues()) {
        continue;
      }
      policies.add(rule.policy());
      rules.rule(rule.name()).filter(old -> old.cachesValues() && old.method().equals(rule.method()))
          .ifPresent(old -> kept.add(rule.name()));
    }
    TieredCache old = cache;
    boolean sameRuntime = next.namespace().equals(rules.namespace())
        && Objects.equals(next.redis(), rules.redis()) && next.backplane() == rules.backplane();
    if (sameRuntime) {
      cache.replaceRules(policies, kept);
      instrumentation.replace(inst, next, cache);
    } else {
      kept.clear();
      TieredCache fresh = AgentStartup.newCache(next);
      for (RulePolicy policy : policies) {
        fresh.addRule(policy);
      }
      instrumentation.replace(inst, next, fresh);
      cache = fresh;
      old.flush(Duration.ofSeconds(1));
      old.close();
      flushAtExit();
    }
    Set<String> added = cachingRuleNames(next);
    added.removeAll(kept);
    before.removeAll(cachingRuleNames(next));
    inPlace(next, nextFile);
    LOG.info("rules replaced from {}: kept {}, new {}, removed {}{}", nextFile, kept, added, before,
        sameRuntime ? "" : " (new namespace, Redis or backplane settings: every rule starts empty; tiers: "
            + describe(cache) + ")");
  }

  private void stop() {
    if (unmatched != null) {
      unmatched.cancel();
      unmatched = null;
    }
    if (stats != null) {
      stats.close();
      stats = null;
    }
    unregisterMBeans();
    micrometer.close();
    stopPrometheus();
    instrumentation.uninstall(inst);
    if (watch != null) {
      watch.close();
      watch = null;
    }
    removeFlushAtExit();
    cache.flush(Duration.ofSeconds(1));
    cache.close();
    StartClaim.release();
    LOG.info("detached: every method runs its original code again; rules were from {}", rulesFile);
  }

  /**
   * Registers the MBeans of the rules in place (the new ones take the names over from those of replaced rules, then
   * the rest of the old ones go); a JVM without JMX caches all the same.
   */
  private void registerMBeans() {
    JmxRegistration old = mbeans;
    mbeans = null;
    if (rules.metrics().jmx()) {
      try {
        mbeans = JmxRegistration.register(rulesFile, rules, cache, instrumentation::siteCount,
            instrumentation::transformErrors);
      } catch (Throwable failed) {
        LOG.warn("no JMX MBeans ({}); caching works without them, but stats <pid> and JConsole see nothing",
            failed.toString());
      }
    }
    if (old != null) {
      old.unregister();
    }
  }

  private void unregisterMBeans() {
    if (mbeans != null) {
      mbeans.unregister();
      mbeans = null;
    }
  }

  /**
   * Serves {@code /metrics} where {@code metrics.prometheus} of the rules in place says: keeps the endpoint running
   * if it stays the same (it then reads the current runtime), moves it if it changed, stops it if the setting went.
   * An address that cannot be bound gets one warning; caching works without the endpoint.
   */
  private void servePrometheus() {
    PrometheusEndpoint wanted;
    try {
      wanted = rules.metrics().prometheus().map(PrometheusEndpoint::of).orElse(null);
    } catch (IllegalArgumentException invalid) {
      LOG.warn("{}: metrics.prometheus: {}; no /metrics endpoint, caching works without it", rulesFile,
          invalid.getMessage());
      wanted = null;
    }
    if (prometheus != null && !prometheus.endpoint().equals(wanted)) {
      stopPrometheus();
    }
    if (prometheus != null) {
      prometheus.show(cache);
      return;
    }
    if (wanted == null) {
      return;
    }
    try {
      prometheus = PrometheusServer.start(wanted, cache);
      LOG.info("Prometheus metrics at http://{}/metrics", wanted);
    } catch (Throwable failed) {
      LOG.warn("{}: metrics.prometheus: cannot serve /metrics on {} ({}); set metrics.prometheus to a free port, or"
          + " host:port with an address of this machine, or off; caching works without the endpoint", rulesFile,
          wanted, failed.toString());
    }
  }

  private void stopPrometheus() {
    if (prometheus != null) {
      prometheus.close();
      prometheus = null;
    }
  }

  private static Set<String> cachingRuleNames(RulesFile rules) {
    Set<String> names = new LinkedHashSet<>();
    for (RuleSpec rule : rules.rules()) {
      if (rule.cachesValues()) {
        names.add(rule.name());
      }
    }
    return names;
  }

  /** With Redis, a JVM that exits right after its last loads still shares them, and its evictions reach Redis. */
  private void flushAtExit() {
    removeFlushAtExit();
    if (cache.redis().isPresent()) {
      TieredCache flushed = cache;
      flushAtExit = new Thread(() -> flushed.flush(Duration.ofSeconds(2)), "tiered-cache-flush");
      Runtime.getRuntime().addShutdownHook(flushAtExit);
    }
  }

  private void removeFlushAtExit() {
    if (flushAtExit != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(flushAtExit);
      } catch (IllegalStateException exiting) {
        // the JVM is shutting down: the hook runs anyway
      }
      flushAtExit = null;
    }
  }

  /**
   * What follows rules put in place, at start-up or replacing others: MBeans, Micrometer meters, the JVM's mark,
   * watch, the stats lines, the check.
   */
  private void inPlace(RulesFile placed, String placedFile) {
    this.rules = placed;
    this.rulesFile = placedFile;
    registerMBeans();
    micrometer.rulesInPlace(placed.metrics().micrometer() ? cache : null);
    servePrometheus();
    StartClaim.hold(placedFile);
    watchIfAsked();
    statsIfAsked();
    checkUnmatchedLater();
  }

  /** Starts, keeps (with the rules now in place), restarts with another interval, or stops the stats lines. */
  private void statsIfAsked() {
    Duration interval = rules.metrics().statsInterval();
    if (interval.isZero()) {
      if (stats != null) {
        stats.close();
        stats = null;
      }
      return;
    }
    if (stats != null && stats.interval().equals(StatsLog.clamped(interval))) {
      stats.use(cache);
      return;
    }
    StatsLog previous = stats;
    if (previous != null) {
      previous.close();
      previous.use(cache);
    }
    stats = StatsLog.start(cache, interval, previous);
    if (interval.compareTo(StatsLog.MIN_INTERVAL) < 0) {
      LOG.warn("{}: metrics.stats-interval {} ms is shorter than the shortest interval; a line every {} s instead",
          rulesFile, interval.toMillis(), StatsLog.MIN_INTERVAL.toSeconds());
    }
  }

  /** Warns, some time from now, of every rule in place then that has instrumented no method. */
  private void checkUnmatchedLater() {
    if (unmatched != null) {
      unmatched.cancel();
    }
    unmatched = UnmatchedRulesCheck.start(instrumentation, inst);
  }

  private void watchIfAsked() {
    if (rules.watch() && (watch == null || !watch.watches(rulesFile))) {
      if (watch != null) {
        watch.close();
      }
      watch = RulesWatch.start(rulesFile);
    } else if (!rules.watch() && watch != null) {
      watch.close();
      watch = null;
    }
  }

  /** The rules' names in file order, an evict rule's followed by {@code (evict)}: {@code price, renamed (evict)}. */
  static String names(RulesFile rules) {
    StringBuilder names = new StringBuilder();
    for (RuleSpec rule : rules.rules()) {
      names.append(names.length() == 0 ? "" : ", ").append(rule.name())
          .append(rule.isEvict() ? " (evict)" : rule.batch().isPresent() ? " (batch)" : "");
    }
    return names.toString();
  }

  private static String describe(TieredCache cache) {
    return cache.redis().map(r -> "memory, redis " + r.config()).orElse("memory")
        + cache.backplane().map(b -> "; backplane " + b.channel()).orElse("");
  }
}
