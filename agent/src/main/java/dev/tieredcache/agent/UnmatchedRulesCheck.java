package dev.tieredcache.agent;

import dev.tieredcache.agent.instrument.CachingInstrumentation;
import dev.tieredcache.agent.rules.ClosestName;
import dev.tieredcache.agent.rules.MethodPattern;
import dev.tieredcache.agent.rules.RuleSpec;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Some time after the rules are put in place (30 s unless {@value #DELAY_PROPERTY} says otherwise), one INFO line with
 * how many methods each rule has instrumented, and one WARN per rule that has instrumented none yet, with the nearest
 * names among the classes the JVM has loaded: a misspelt class or method otherwise only shows at debug level, and a
 * user would never learn that caching is off. Instrumentation is lazy (a class is instrumented when it loads), so the
 * counts are those of that moment.
 */
final class UnmatchedRulesCheck {

  /** A system property that sets the wait, in milliseconds (for tests, and for applications slow to load). */
  static final String DELAY_PROPERTY = "tiered.cache.unmatched-rules-after-ms";
  static final Duration DEFAULT_DELAY = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(UnmatchedRulesCheck.class);

  private final Thread thread;

  private UnmatchedRulesCheck(Thread thread) {
    this.thread = thread;
  }

  /** Starts the wait on a daemon thread of its own; {@link #cancel} ends it (rules replaced, agent detached). */
  static UnmatchedRulesCheck start(CachingInstrumentation instrumentation, Instrumentation inst) {
    Duration delay = delay();
    Thread thread = new Thread(() -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException cancelled) {
        return;
      }
      try {
        LOG.info(instrumentedLine(instrumentation.instrumentedMethods(), delay));
        List<RuleSpec> unmatched = instrumentation.unmatchedRules();
        if (!unmatched.isEmpty()) {
          Class<?>[] loaded = inst.getAllLoadedClasses();
          for (RuleSpec rule : unmatched) {
            LOG.warn(message(rule, loaded, delay));
          }
        }
      } catch (Throwable failed) {
        LOG.debug("checking for rules that matched nothing failed: {}", failed.toString());
      }
    }, "tiered-cache-rules-check");
    thread.setDaemon(true);
    thread.start();
    return new UnmatchedRulesCheck(thread);
  }

  void cancel() {
    thread.interrupt();
  }

  private static Duration delay() {
    String text = System.getProperty(DELAY_PROPERTY);
    if (text != null) {
      try {
        return Duration.ofMillis(Math.max(0, Long.parseLong(text.trim())));
      } catch (NumberFormatException e) {
        LOG.warn("-D{}={} is not a number of milliseconds; checking after {} s", DELAY_PROPERTY, text,
            DEFAULT_DELAY.toSeconds());
      }
    }
    return DEFAULT_DELAY;
  }

  /** The line with the methods each rule instrumented: {@code methods instrumented 30 s after ...: price=2, x=0}. */
  static String instrumentedLine(Map<String, Integer> byRule, Duration after) {
    StringBuilder line = new StringBuilder("methods instrumented ").append(describe(after))
        .append(" after the rules were put in place, per rule:");
    String separator = " ";
    for (Map.Entry<String, Integer> rule : byRule.entrySet()) {
      line.append(separator).append(rule.getKey()).append('=').append(rule.getValue());
      separator = ", ";
    }
    return line.toString();
  }

  /** {@code 30 s}, or {@code 500 ms} for a wait that is not a whole number of seconds. */
  static String describe(Duration wait) {
    return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
  }

  /** The warning for {@code rule}, which matched nothing, given the classes the JVM has loaded. */
  static String message(RuleSpec rule, Class<?>[] loaded, Duration after) {
    MethodPattern pattern = rule.method();
    StringBuilder m = new StringBuilder("rule '").append(rule.name()).append("' has ")
        .append(rule.isEvict() ? "instrumented" : "cached").append(" nothing ").append(describe(after))
        .append(" after start-up: no loaded method matches ").append(pattern).append("; ");
    if (!pattern.isExactType()) {
      return m.append("no loaded class matches its type pattern, or none declares such a method (check the pattern;"
          + " java -jar tiered-cache-agent.jar validate <rules> --classpath <app> lists what it matches)").toString();
    }
    String typeName = pattern.exactTypeName();
    Class<?> named = null;
    Set<String> names = new LinkedHashSet<>();
    for (Class<?> c : loaded) {
      String name = c.getName();
      if (name.equals(typeName)) {
        named = c;
      }
      names.add(name);
    }
    if (named == null) {
      m.append("no loaded class is named ").append(typeName);
      Optional<String> near = ClosestName.to(typeName, names);
      if (near.isEmpty()) {
        near = sameSimpleName(typeName, names);
      }
      if (near.isPresent()) {
        return m.append(" (did you mean ").append(near.get()).append("?)").toString();
      }
      return m.append(", nor one with a close name: check the name, or the class is loaded later (java -jar"
          + " tiered-cache-agent.jar validate <rules> --classpath <app> checks it against a class path)").toString();
    }
    List<String> methodNames = new ArrayList<>();
    for (Method method : named.getDeclaredMethods()) {
      if (!method.isSynthetic() && !methodNames.contains(method.getName())) {
        methodNames.add(method.getName());
      }
    }
    m.append(typeName).append(" is loaded");
    if (named.isInterface() && pattern.includesSubtypes()) {
      m.append(" (an interface: its implementations are instrumented as they load, none has been yet)");
    }
    Optional<String> near = ClosestName.to(pattern.methodGlob(), methodNames);
    if (methodNames.contains(pattern.methodGlob())) {
      return m.append(", and its method ").append(pattern.methodGlob())
          .append(" is not cached: check the parameter types, or that it is not void, abstract or native").toString();
    }
    return m.append(" but declares no method ").append(pattern.methodGlob())
        .append(near.map(n -> " (did you mean " + n + "?)").orElse("; its methods: " + String.join(", ", methodNames)))
        .toString();
  }

  private static Optional<String> sameSimpleName(String typeName, Set<String> names) {
    String simple = typeName.substring(typeName.lastIndexOf('.') + 1);
    for (String name : names) {
      if (name.endsWith("." + simple) || name.endsWith("$" + simple)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }
}
