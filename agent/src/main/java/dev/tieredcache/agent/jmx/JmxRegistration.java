package dev.tieredcache.agent.jmx;

import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The agent's MBeans in the platform MBean server, all under the domain {@value #DOMAIN}: one for the agent
 * ({@code dev.tieredcache:type=Agent}) and one per caching rule ({@code dev.tieredcache:type=Rule,name=<rule>}).
 * JConsole, VisualVM and {@code stats <pid>} read them. {@link #unregister()} removes them all again, for detach and
 * before the rules are replaced.
 */
public final class JmxRegistration {

  /** The domain of every tiered-cache MBean. */
  public static final String DOMAIN = "dev.tieredcache";

  /**
   * Which registration holds each name now: a registration that was replaced (rules replaced by registering the new
   * MBeans first) must not remove its successor's MBeans when it unregisters.
   */
  private static final Map<ObjectName, JmxRegistration> HOLDERS = new HashMap<>();

  private final MBeanServer server;
  private final List<ObjectName> registered = new ArrayList<>();

  private JmxRegistration(MBeanServer server) {
    this.server = server;
  }

  /** The name of the agent's MBean. */
  public static ObjectName agentName() {
    return name("type=Agent");
  }

  /** The name of a rule's MBean; rule names keep to letters, digits, '.', '_' and '-', so need no quoting. */
  public static ObjectName ruleName(String rule) {
    return name("type=Rule,name=" + rule);
  }

  /** The pattern that matches every rule's MBean. */
  public static ObjectName allRules() {
    return name("type=Rule,*");
  }

  /**
   * Registers the agent's MBean and one per caching rule of {@code cache}. An MBean of the same name (of rules being
   * replaced, or left from an earlier start) is replaced.
   *
   * @param rulesFile the absolute path of the rules file in use
   * @param rules what was read from it
   * @param cache the runtime built from it, holding its caching rules
   * @param instrumentedMethods how many methods are instrumented now
   * @param transformErrors how many classes could not be instrumented
   * @throws JMException when an MBean cannot be registered; those registered before it are removed again
   */
  public static JmxRegistration register(String rulesFile, RulesFile rules, TieredCache cache,
      IntSupplier instrumentedMethods, IntSupplier transformErrors) throws JMException {
    JmxRegistration registration = new JmxRegistration(ManagementFactory.getPlatformMBeanServer());
    try {
      registration.add(agentName(), new StandardMBean(new AgentStatus(rulesFile, rules, cache, instrumentedMethods,
          transformErrors, Instant.now().truncatedTo(ChronoUnit.SECONDS)), AgentMBean.class));
      for (RuleCache rule : cache.rules()) {
        String method = rules.rule(rule.name()).map(RuleSpec::method).map(Object::toString).orElse("");
        registration.add(ruleName(rule.name()), new StandardMBean(new RuleStatistics(rule, method), RuleMBean.class));
      }
    } catch (JMException | RuntimeException e) {
      registration.unregister();
      throw e;
    }
    return registration;
  }

  /** The names this registration holds, agent first. */
  public synchronized List<ObjectName> names() {
    return List.copyOf(registered);
  }

  /**
   * Removes every MBean this registration added, except those a later registration has replaced since; a second
   * call does nothing.
   */
  public synchronized void unregister() {
    synchronized (HOLDERS) {
      for (ObjectName name : registered) {
        if (HOLDERS.get(name) != this) {
          continue;
        }
        HOLDERS.remove(name);
        try {
          server.unregisterMBean(name);
        } catch (InstanceNotFoundException | MBeanRegistrationException e) {
          // gone already, or its (absent) preDeregister failed: either way the server no longer holds it
        }
      }
    }
    registered.clear();
  }

  private synchronized void add(ObjectName name, StandardMBean bean) throws JMException {
    synchronized (HOLDERS) {
      try {
        server.registerMBean(bean, name);
      } catch (InstanceAlreadyExistsException replaced) {
        server.unregisterMBean(name);
        server.registerMBean(bean, name);
      }
      HOLDERS.put(name, this);
    }
    registered.add(name);
  }

  private static ObjectName name(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("not an MBean name: " + DOMAIN + ":" + properties, e);
    }
  }
}
