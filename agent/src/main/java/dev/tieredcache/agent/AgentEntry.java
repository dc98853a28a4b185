package dev.tieredcache.agent;

import dev.tieredcache.agent.cli.CommandLine;
import dev.tieredcache.agent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.matcher.ElementMatcher;

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
    keepByteBuddyFromSunMiscUnsafe();
    try {
      BootstrapBridge.inject(inst);
    } catch (Throwable failed) {
      System.err.println(AgentLog.PREFIX + "ERROR cannot set up the bootstrap bridge; the application runs without"
          + " caching: " + failed);
      return;
    }
    AgentStartup.start(argument, inst, atStartup);
  }

  /**
   * From Java 24 on, the JVM warns on stderr at the first use of {@code sun.misc.Unsafe}: (our relocated) Byte Buddy
   * is told to do without it there (its {@code safe} property, under its relocated name).
   */
  private static void keepByteBuddyFromSunMiscUnsafe() {
    if (Runtime.version().feature() >= 24) {
      String safe = ElementMatcher.class.getPackageName().replace(".matcher", ".safe");
      if (System.getProperty(safe) == null) {
        System.setProperty(safe, "true");
      }
    }
  }

  public static void main(String[] args) {
    System.exit(CommandLine.run(args, System.out, System.err));
  }
}
