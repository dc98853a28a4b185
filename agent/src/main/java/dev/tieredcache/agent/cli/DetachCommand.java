package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.StartClaim;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * {@code detach <pid>}: loads the agent jar into the JVM with the argument {@value #ARGUMENT}, which makes the
 * running agent restore every method and stop its threads; the JVM's {@code tiered.cache.agent.running} property is
 * gone afterwards.
 */
final class DetachCommand implements Command {

  /** The agent argument that asks a running agent to detach. */
  static final String ARGUMENT = "--detach";

  @Override
  public String name() {
    return "detach";
  }

  @Override
  public String synopsis() {
    return "detach <pid>";
  }

  @Override
  public String summary() {
    return "remove tiered-cache from a running JVM";
  }

  @Override
  public String help() {
    return String.join(System.lineSeparator(),
        usage(),
        "",
        "Removes tiered-cache from the running JVM <pid>: every instrumented method gets its original bytecode back",
        "(calls behave as if it had never been there), and the agent's threads, Redis connections and backplane",
        "subscription stop. Attaching again later works.",
        "",
        "exit status:",
        "  0  the JVM runs without tiered-cache now",
        "  1  invalid input: no such process; not a JVM; another user's JVM",
        "  2  usage error",
        "  3  the JVM refused or failed: it does not run tiered-cache, the agent did not detach (the JVM's stderr",
        "     says why), attach not possible (see the message), or this Java has no jdk.attach module",
        "",
        "Like attach, it loads the agent jar into the JVM, so the same needs apply: see attach --help.");
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws CommandFailure {
    requireArguments(args, 1, "needs a pid");
    AttachApi.requireAvailable();
    TargetProcess process = TargetProcess.find(name(), args.get(0), usage());
    Path jar = AgentJarFile.locate();
    try (TargetJvm jvm = TargetJvm.attach(process)) {
      Properties system = jvm.systemProperties();
      String running = system.getProperty(StartClaim.PROPERTY);
      if (running == null) {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "tiered-cache is not running in JVM " + jvm.pid()
            + "; there is nothing to detach");
      }
      jvm.loadAgent(jar, ARGUMENT);
      DynamicAgentLoading.warningNote(jvm.pid(), system, jvm.agentProperties()).ifPresent(err::println);
      String after = jvm.systemProperties().getProperty(StartClaim.PROPERTY);
      if (after != null) {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + jvm.pid() + " still runs tiered-cache with the"
            + " rules from " + after + ": the agent did not detach, and its stderr says why (an agent of a version"
            + " that cannot detach stays until the JVM restarts)");
      }
      out.println("JVM " + jvm.pid() + ": tiered-cache detached (it ran the rules from " + running + "); every method"
          + " runs its original code again");
    }
  }
}
