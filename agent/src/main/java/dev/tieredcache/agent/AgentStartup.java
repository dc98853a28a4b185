package dev.tieredcache.agent;

import dev.tieredcache.agent.log.AgentLog;
import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RuleTargetCheck;
import dev.tieredcache.agent.rules.RulesError;
import dev.tieredcache.agent.rules.RulesException;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import dev.tieredcache.agent.rules.TargetCheckResult;
import dev.tieredcache.runtime.TieredCache;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every start of the agent (premain, agentmain) comes here: finds and checks the rules file and hands it to the
 * {@link RunningAgent}. An invalid file at start-up stops the JVM with the file's errors, unless
 * {@code -Dtiered.cache.on-error=warn}; attached, it is reported and the running rules (if any) stay; any other
 * failure leaves the application running without caching.
 */
final class AgentStartup {

  static final String RULES_PROPERTY = "tiered.cache.rules";
  static final String RULES_ENV = "TIERED_CACHE_RULES";
  static final String ON_ERROR_PROPERTY = "tiered.cache.on-error";

  private static final Logger LOG = LoggerFactory.getLogger(AgentStartup.class);

  private AgentStartup() {}

  /** What a start does with a rules file that cannot be used. */
  enum Refusal {
    /** At JVM start-up: stop the JVM, unless {@code -Dtiered.cache.on-error=warn}. */
    STOP_JVM,
    /** Attached to a running JVM: say so; the rules running (if any) stay. */
    NOT_ATTACHED,
    /** The watched file changed to something invalid: say so; the rules running stay. */
    KEEP_RUNNING_RULES
  }

  /**
   * A start of the agent: the first one starts it, a later one replaces its rules, {@code --detach} removes it. No
   * failure of the agent's own leaves this method: the application then runs without (changed) caching.
   */
  static void start(String argument, Instrumentation inst, boolean atStartup) {
    try {
      if (argument != null && RunningAgent.DETACH.equals(argument.trim())) {
        RunningAgent.detach();
        return;
      }
      Refusal refusal = atStartup ? Refusal.STOP_JVM : Refusal.NOT_ATTACHED;
      String path = rulesPath(argument);
      if (path == null) {
        refuse(refusal, List.of("no rules file given: start with -javaagent:tiered-cache-agent.jar=rules.yaml, or set"
            + " -D" + RULES_PROPERTY + "=rules.yaml or " + RULES_ENV + "=rules.yaml"));
        return;
      }
      String running = StartClaim.holder();
      if (running != null && !RunningAgent.isRunning()) {
        // another copy of the agent's classes (a custom system class loader) runs the agent: never two set-ups
        System.err.println(AgentLog.PREFIX + "ERROR the agent is already running in this JVM with the rules from "
            + running + " in another copy of the agent, so " + absolute(path) + " is not loaded; restart the JVM"
            + " with the new file");
        return;
      }
      RulesFile rules = read(absolute(path), refusal);
      if (rules != null) {
        RunningAgent.startOrReplace(inst, rules, absolute(path));
      }
    } catch (Throwable failed) {
      LOG.error("could not start or replace the rules; the application runs on as before", failed);
    }
  }

  /**
   * Reads and checks a rules file against the classes the system class loader sees.
   *
   * @return the rules, or {@code null} after the problems were reported as {@code refusal} says
   */
  static RulesFile read(String path, Refusal refusal) {
    RulesFile rules;
    try {
      rules = RulesParser.parse(Path.of(path));
    } catch (RulesException invalid) {
      List<String> lines = new ArrayList<>();
      for (RulesError e : invalid.errors()) {
        lines.add(e.toString());
      }
      refuse(refusal, lines);
      return null;
    }
    // a type pool costs a few hundred classes at every start: only made when a named type is there to check (the
    // classes of a Spring Boot fat jar, say, are not on the system class path: they are checked when they load)
    TypePool pool = namesTypeOnClassPath(rules)
        ? new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(),
            ClassFileLocator.ForClassLoader.ofSystemLoader(), TypePool.Default.ReaderMode.FAST)
        : TypePool.Empty.INSTANCE;
    TargetCheckResult targets = RuleTargetCheck.checkAll(rules, pool);
    if (!targets.errors().isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (RulesError e : targets.errors()) {
        lines.add(e.toString());
      }
      refuse(refusal, lines);
      return null;
    }
    for (RulesError warning : targets.warnings()) {
      LOG.debug(warning.toString());
    }
    return rules;
  }

  /** True when the class file of a type that a rule names exactly is on the system class path. */
  private static boolean namesTypeOnClassPath(RulesFile rules) {
    for (RuleSpec rule : rules.rules()) {
      if (rule.method().isExactType()
          && ClassLoader.getSystemResource(rule.method().exactTypeName().replace('.', '/') + ".class") != null) {
        return true;
      }
    }
    return false;
  }

  /** The runtime that the namespace, Redis and backplane settings of {@code rules} ask for, without rules. */
  static TieredCache newCache(RulesFile rules) {
    TieredCache.Builder builder = TieredCache.builder().namespace(rules.namespace());
    rules.redis().ifPresent(redis -> builder.redis(redis.toConfig()).backplane(rules.backplane()));
    return builder.build();
  }

  private static String absolute(String path) {
    return Path.of(path).toAbsolutePath().normalize().toString();
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

  private static void refuse(Refusal refusal, List<String> problems) {
    for (String problem : problems) {
      System.err.println(AgentLog.PREFIX + "ERROR " + problem);
    }
    String runningRules = StartClaim.holder();
    if (refusal == Refusal.KEEP_RUNNING_RULES) {
      System.err.println(AgentLog.PREFIX + "ERROR the changed rules file is not used; the rules loaded from it"
          + " before stay in place until it is fixed");
      return;
    }
    if (refusal == Refusal.NOT_ATTACHED) {
      System.err.println(AgentLog.PREFIX + "ERROR not attached: fix the rules file and attach again"
          + (runningRules == null ? "" : "; the rules from " + runningRules + " stay in place"));
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
