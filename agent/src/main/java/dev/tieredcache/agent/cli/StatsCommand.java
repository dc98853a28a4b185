package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.StartClaim;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import javax.management.JMException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code stats <pid>}: starts the JVM's local JMX agent through the attach API, as JConsole does, and prints what
 * the tiered-cache MBeans there say: the agent's state and a table per rule.
 */
final class StatsCommand implements Command {

  @Override
  public String name() {
    return "stats";
  }

  @Override
  public String synopsis() {
    return "stats <pid>";
  }

  @Override
  public String summary() {
    return "hits, misses, loads, errors per rule of a running JVM";
  }

  @Override
  public String help() {
    return String.join(System.lineSeparator(),
        usage(),
        "",
        "Prints what tiered-cache does in the running JVM <pid>, from its JMX MBeans: the agent's version, rules",
        "file, Redis and backplane state, then one row per rule with counts since the rules were loaded:",
        "  HITS-FRESH HITS-STALE   calls answered from the cache with a fresh / a stale value",
        "  MISSES LOADS            calls that found nothing usable / calls of the original method on a caller's thread",
        "  LOAD-ERRORS             calls of the original method that threw",
        "  STALE-ON-ERROR          calls answered with a stale value because the method failed or was too slow",
        "  COALESCED               calls that waited for another caller's load of the same key",
        "  REFRESHES EVICTIONS     background refreshes started / evictions of a key or of all keys",
        "  REDIS-HITS REDIS-ERRORS values found in Redis / Redis calls that failed or timed out",
        "  BP-IN BP-OUT            backplane messages applied / published",
        "  ENTRIES                 entries in the rule's memory tier now",
        "  LOADS-OK LOAD-AVG-MS    calls of the original method that returned, foreground or background / their",
        "                          mean time, with the failed ones, in milliseconds",
        "It starts the JVM's local JMX agent (as JConsole does), which stays on, reachable only from this machine.",
        "",
        "exit status: 0 printed, 1 invalid input (no such process, not a JVM, another user's JVM), 2 usage error,",
        "3 the JVM does not run tiered-cache or has no tiered-cache MBeans (metrics.jmx: false), or it refused or",
        "failed (see attach --help)");
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws CommandFailure {
    requireArguments(args, 1, "needs a pid");
    AttachApi.requireAvailable();
    TargetProcess process = TargetProcess.find(name(), args.get(0), usage());
    try (TargetJvm jvm = TargetJvm.attach(process)) {
      Properties system = jvm.systemProperties();
      String running = system.getProperty(StartClaim.PROPERTY);
      if (running == null) {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "tiered-cache is not running in JVM " + jvm.pid()
            + "; attach it first: java -jar tiered-cache-agent.jar attach " + jvm.pid() + " rules.yaml");
      }
      String command = jvm.agentProperties().getProperty("sun.java.command", "").trim();
      String title = "JVM " + jvm.pid() + (command.isEmpty() ? "" : " (" + command.split("\\s+")[0] + ")");
      String address = jvm.startLocalManagementAgent();
      List<String> lines;
      try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
        lines = StatsReport.read(connector.getMBeanServerConnection(), title);
      } catch (IOException | JMException | SecurityException e) {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "cannot read the MBeans of JVM " + jvm.pid()
            + " through its local JMX agent (" + address + "): " + e);
      }
      if (lines.isEmpty()) {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + jvm.pid() + " runs tiered-cache with the rules"
            + " from " + running + " but has no tiered-cache MBeans: the file sets metrics.jmx: false (remove it"
            + " and attach the file again), or the JVM refused them (its stderr says so)");
      }
      lines.forEach(out::println);
    }
  }
}
