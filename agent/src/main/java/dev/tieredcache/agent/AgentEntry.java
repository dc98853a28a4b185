package dev.tieredcache.agent;

import dev.tieredcache.agent.cli.CommandLine;
import dev.tieredcache.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;

/**
 * The agent jar's entry points: {@code premain} (-javaagent), {@code agentmain} (attach) and {@code main} (the
 * command line). Does as little as possible: the bridge goes onto the bootstrap class path before any class that
 * refers to it is loaded.
 */
public final class AgentEntry {

  private AgentEntry() {}

  public static void premain(String argument, Instrumentation inst) {
    start(argument, inst, true);
  }

  public static void agentmain(String argument, Instrumentation inst) {
    start(argument, inst, false);
  }

  private static void start(String argument, Instrumentation inst, boolean atStartup) {
    try {
      BootstrapBridge.inject(inst);
    } catch (Throwable failed) {
      System.err.println(AgentLog.PREFIX + "ERROR cannot set up the bootstrap bridge; the application runs without"
          + " caching: " + failed);
      return;
    }
    AgentStartup.start(argument, inst, atStartup);
  }

  public static void main(String[] args) {
    System.exit(CommandLine.run(args, System.out, System.err));
  }
}
