package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.StartClaim;
import dev.tieredcache.agent.rules.RulesFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code attach <pid> <rules.yaml>}: checks the rules file against the running JVM's own class path and
 * environment, and only when it is valid loads the agent jar into that JVM with the file's absolute path. The JVM's
 * {@code tiered.cache.agent.running} property then tells which rules file is active.
 */
final class AttachCommand implements Command {

  @Override
  public String name() {
    return "attach";
  }

  @Override
  public String synopsis() {
    return "attach <pid> <rules.yaml>";
  }

  @Override
  public String summary() {
    return "check the file against a running JVM, then cache there";
  }

  @Override
  public String help() {
    return String.join(System.lineSeparator(),
        usage(),
        "",
        "Caches the methods that rules.yaml names in the running JVM <pid>, without a restart. First the file is",
        "checked as validate does, against the JVM's own class path and environment (read through the attach API);",
        "an invalid file is reported as file:line:column: message and the JVM is left untouched. Then the agent jar",
        "is loaded into the JVM with the file's absolute path; the methods are instrumented and their next calls",
        "cached. Attaching to a JVM that already runs tiered-cache gives it the new rules.",
        "",
        "exit status:",
        "  0  the JVM runs the rules from the file",
        "  1  invalid input: the file has errors; no such process; not a JVM; another user's JVM",
        "  2  usage error",
        "  3  the JVM refused or failed: attach not possible (see the message), agent loading disabled, the agent",
        "     did not start (the JVM's stderr says why), or this Java is a JRE without the jdk.attach module",
        "",
        "what attaching needs:",
        "  - this command runs on a JDK (the jdk.attach module), as the JVM's own user (or root)",
        "  - the JVM accepts agents loaded late: not started with " + DynamicAgentLoading.DISABLE + ". From Java "
            + DynamicAgentLoading.WARNING_SINCE + " on",
        "    it prints a warning when one is loaded (JEP 451) unless started with " + DynamicAgentLoading.ENABLE
            + ";",
        "    a later Java release may refuse such agents without that option",
        "  - a JVM in another container: run the command inside that container",
        "  - when this command cannot run: jcmd <pid> JVMTI.agent_load /path/tiered-cache-agent.jar /path/rules.yaml");
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws CommandFailure {
    requireArguments(args, 2, "needs a pid and a rules file");
    Path rulesFile;
    try {
      rulesFile = Paths.get(args.get(1)).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw CommandFailure.usage(name(), "'" + args.get(1) + "' is not a file name", usage());
    }
    AttachApi.requireAvailable();
    TargetProcess process = TargetProcess.find(name(), args.get(0), usage());
    Map<String, String> env = process.environment().orElse(System.getenv());
    RulesFile rules = RulesCheck.read(rulesFile, env::get);
    if (!Files.isReadable(process.inItsFileSystem(rulesFile))) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, "JVM " + process.pid() + " cannot see " + rulesFile
          + ": it runs in another container. Put the file into that container and run the command there.");
    }
    Path jar = AgentJarFile.locate();
    try (TargetJvm jvm = TargetJvm.attach(process)) {
      Properties system = jvm.systemProperties();
      try {
        RulesCheck.checkTargets(rules, TargetClassPath.of(system, process::inItsFileSystem), err);
      } catch (IOException e) {
        throw new CommandFailure(CommandFailure.INVALID_INPUT, "cannot read the class path of JVM " + process.pid()
            + ": " + e.getMessage());
      }
      String before = system.getProperty(StartClaim.PROPERTY);
      String loadsBefore = system.getProperty(StartClaim.LOADS_PROPERTY);
      jvm.loadAgent(jar, rulesFile.toString());
      DynamicAgentLoading.warningNote(jvm.pid(), system, jvm.agentProperties()).ifPresent(err::println);
      Properties now = jvm.systemProperties();
      String after = now.getProperty(StartClaim.PROPERTY);
      boolean loaded = !java.util.Objects.equals(loadsBefore, now.getProperty(StartClaim.LOADS_PROPERTY));
      if (rulesFile.toString().equals(after) && loaded) {
        out.println("JVM " + jvm.pid() + ": tiered-cache caches with the rules from " + rulesFile
            + (before == null || before.equals(after) ? "" : " (they replace " + before + ")"));
      } else if (after == null) {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "the agent did not start in JVM " + jvm.pid()
            + ": the JVM's stderr has [tiered-cache] ERROR lines that say why (the file passed the checks here;"
            + " can the JVM's user read " + rulesFile + "?)");
      } else {
        throw new CommandFailure(CommandFailure.TARGET_FAILED, "JVM " + jvm.pid() + " goes on with the rules from "
            + after + "; " + rulesFile + " was not loaded: the JVM's stderr has [tiered-cache] ERROR lines that"
            + " say why");
      }
    }
  }
}
