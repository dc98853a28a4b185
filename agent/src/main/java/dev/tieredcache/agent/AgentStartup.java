package dev.tieredcache.agent;

import dev.tieredcache.agent.instrument.CachingInstrumentation;
import dev.tieredcache.agent.jmx.JmxRegistration;
import dev.tieredcache.agent.log.AgentLog;
import dev.tieredcache.agent.rules.RedisSettings;
import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RuleTargetCheck;
import dev.tieredcache.agent.rules.RulesError;
import dev.tieredcache.agent.rules.RulesException;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import dev.tieredcache.agent.rules.TargetCheckResult;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.redis.RedisConfig;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up: finds and checks the rules file, builds the runtime and installs the instrumentation. An invalid file
 * at start-up stops the JVM with the file's errors, unless {@code -Dtiered.cache.on-error=warn}; any other
 * failure leaves the application running without caching.
 */
final class AgentStartup {

  static final String RULES_PROPERTY = "tiered.cache.rules";
  static final String RULES_ENV = "TIERED_CACHE_RULES";
  static final String ON_ERROR_PROPERTY = "tiered.cache.on-error";

  private static final Logger LOG = LoggerFactory.getLogger(AgentStartup.class);

  /** The MBeans of the running agent; null when it has none (metrics.jmx: false, or not started). */
  private static volatile JmxRegistration mbeans;

  private AgentStartup() {}

  static void start(String argument, Instrumentation inst, boolean atStartup) {
    boolean claimed = false;
    boolean installing = false;
    try {
      String path = rulesPath(argument);
      String running = StartClaim.take(path == null ? "" : absolute(path));
      if (running != null) {
        refuseSecondStart(running, path);
        return;
      }
      claimed = true;
      if (path == null) {
        refuse(atStartup, List.of("no rules file given: start with -javaagent:tiered-cache-agent.jar=rules.yaml, or set -D"
            + RULES_PROPERTY + "=rules.yaml or " + RULES_ENV + "=rules.yaml"));
        return;
      }
      RulesFile rules;
      try {
        rules = RulesParser.parse(Path.of(path));
      } catch (RulesException invalid) {
        List<String> lines = new ArrayList<>();
        for (RulesError e : invalid.errors()) {
          lines.add(e.toString());
        }
        refuse(atStartup, lines);
        return;
      }
      TargetCheckResult targets = RuleTargetCheck.checkAll(rules,
          new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
              ClassFileLocator.ForClassLoader.ofSystemLoader(), TypePool.Default.ReaderMode.FAST));
      if (!targets.errors().isEmpty()) {
        List<String> lines = new ArrayList<>();
        for (RulesError e : targets.errors()) {
          lines.add(e.toString());
        }
        refuse(atStartup, lines);
        return;
      }
      AgentLog.setLevel(rules.logLevel());
      for (RulesError warning : targets.warnings()) {
        LOG.debug(warning.toString());
      }
      warnAboutSettingsNotActedOn(rules);
      TieredCache.Builder builder = TieredCache.builder().namespace(rules.namespace());
      rules.redis().ifPresent(redis -> builder.redis(redisConfig(redis)).backplane(rules.backplane()));
      TieredCache cache = builder.build();
      int cached = 0;
      for (RuleSpec rule : rules.rules()) {
        if (rule.evict().isEmpty()) {
          cache.addRule(rule.policy());
          cached++;
        }
      }
      installing = true;
      CachingInstrumentation instrumentation = new CachingInstrumentation(rules, cache);
      instrumentation.install(inst);
      if (rules.metrics().jmx()) {
        registerMBeans(absolute(path), rules, cache, instrumentation);
      }
      if (cache.redis().isPresent()) {
        // a JVM that exits right after its last loads still shares them, and its last evictions still reach Redis
        Thread flush = new Thread(() -> cache.flush(Duration.ofSeconds(2)), "tiered-cache-flush");
        Runtime.getRuntime().addShutdownHook(flush);
      }
      LOG.info("started: {} caching and {} evict rules from {} (tiers: {})", cached,
          rules.rules().size() - cached, path,
          cache.redis().map(r -> "memory, redis " + r.config()).orElse("memory")
              + cache.backplane().map(b -> "; backplane " + b.channel()).orElse(""));
    } catch (Throwable failed) {
      LOG.error("could not start; the application runs without caching", failed);
    } finally {
      // a start that installed nothing leaves the JVM free for another; one that got as far as installing keeps the
      // claim, since part of its instrumentation may be in place
      if (claimed && !installing) {
        StartClaim.release();
      }
    }
  }

  /**
   * Registers the MBeans of a started agent; a JVM without JMX (or one that refuses them) caches all the same. The
   * registration is kept for {@link #unregisterMBeans()}.
   */
  private static void registerMBeans(String rulesFile, RulesFile rules, TieredCache cache,
      CachingInstrumentation instrumentation) {
    try {
      mbeans = JmxRegistration.register(rulesFile, rules, cache, instrumentation::siteCount,
          instrumentation::transformErrors);
    } catch (Throwable failed) {
      LOG.warn("no JMX MBeans ({}); caching works without them, but stats <pid> and JConsole see nothing",
          failed.toString());
    }
  }

  /** Removes the MBeans of the running agent, if any: before its rules are replaced, and when it detaches. */
  static void unregisterMBeans() {
    JmxRegistration registered = mbeans;
    mbeans = null;
    if (registered != null) {
      registered.unregister();
    }
  }

  /**
   * Says, in one line, why a second start in a JVM that runs the agent does nothing: the first set-up goes on
   * untouched, since advice it inlined must never reach the sites of another.
   */
  private static void refuseSecondStart(String runningRules, String path) {
    System.err.println(AgentLog.PREFIX + "ERROR the agent is already running in this JVM with the rules from "
        + runningRules + ", so " + (path == null ? "this second start does nothing" : absolute(path)
        + " is not loaded") + ": this version cannot replace the rules of a running agent; restart the JVM with"
        + " the new file");
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  static RedisConfig redisConfig(RedisSettings redis) {
    if (redis.url().isPresent()) {
      return RedisConfig.url(redis.url().get(), redis.timeout());
    }
    if (redis.sentinelMaster().isPresent()) {
      return RedisConfig.sentinel(redis.sentinelMaster().get(), redis.sentinelNodes(), redis.timeout());
    }
    return RedisConfig.cluster(redis.clusterNodes(), redis.timeout());
  }

  /**
   * Settings the file may hold that this version reads but does not act on yet: said once at start-up, so that
   * nobody relies on them unknowingly.
   */
  private static void warnAboutSettingsNotActedOn(RulesFile rules) {
    List<String> ignored = new ArrayList<>();
    if (rules.watch()) {
      ignored.add("watch: true (the file is read once; restart to apply changes)");
    }
    rules.metrics().prometheus().ifPresent(p -> ignored.add("metrics.prometheus: " + p));
    if (rules.metrics().micrometer()) {
      ignored.add("metrics.micrometer: true");
    }
    if (!rules.metrics().statsInterval().isZero()) {
      ignored.add("metrics.stats-interval: " + rules.metrics().statsInterval());
    }
    if (!ignored.isEmpty()) {
      LOG.warn("{}: not supported by this version yet, so without effect: {}", rules.source(),
          String.join("; ", ignored));
    }
  }

  /** The agent argument wins over the system property, which wins over the environment. */
  static String rulesPath(String argument) {
    if (argument != null && !argument.isBlank()) {
      return argument.trim();
    }
    String property = System.getProperty(RULES_PROPERTY);
    if (property != null && !property.isBlank()) {
      return property.trim();
    }
    String env = System.getenv(RULES_ENV);
    return env != null && !env.isBlank() ? env.trim() : null;
  }

  private static void refuse(boolean atStartup, List<String> problems) {
    for (String problem : problems) {
      System.err.println(AgentLog.PREFIX + "ERROR " + problem);
    }
    if (!atStartup) {
      System.err.println(AgentLog.PREFIX + "ERROR not attached: fix the rules file and attach again");
      return;
    }
    if ("warn".equalsIgnoreCase(System.getProperty(ON_ERROR_PROPERTY))) {
      System.err.println(AgentLog.PREFIX + "WARN the application starts without caching (-D" + ON_ERROR_PROPERTY
          + "=warn)");
      return;
    }
    System.err.println(AgentLog.PREFIX + "ERROR stopping the JVM: fix the rules file, or start with -D"
        + ON_ERROR_PROPERTY + "=warn to run the application without caching");
    System.exit(1);
  }
}
