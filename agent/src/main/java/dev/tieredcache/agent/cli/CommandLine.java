package dev.tieredcache.agent.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar tiered-cache-agent.jar <command> ...}: the operator's commands. Exit statuses: 0 done, 1 invalid
 * input (rules file, pid), 2 usage error, 3 the target JVM refused or failed.
 */
public final class CommandLine {

  private static final List<Command> COMMANDS = List.of(
      new ValidateCommand(), new AttachCommand(), new DetachCommand(), new ListCommand(), new StatsCommand());

  private CommandLine() {}

  /**
   * Runs the command {@code args} name.
   *
   * @return the exit status
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("no command given");
      err.println(usage());
      return CommandFailure.USAGE;
    }
    if (isHelp(args[0]) || args[0].equals("help")) {
      Command command = args.length > 1 ? find(args[1]) : null;
      out.println(command != null ? command.help() : help());
      return CommandFailure.OK;
    }
    Command command = find(args[0]);
    if (command == null) {
      err.println("unknown command '" + args[0] + "'");
      err.println(usage());
      return CommandFailure.USAGE;
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    if (rest.stream().anyMatch(CommandLine::isHelp)) {
      out.println(command.help());
      return CommandFailure.OK;
    }
    try {
      command.run(rest, out, err);
      return CommandFailure.OK;
    } catch (CommandFailure failure) {
      failure.lines().forEach(err::println);
      return failure.exitCode();
    } catch (NoClassDefFoundError missing) {
      if (String.valueOf(missing.getMessage()).startsWith("com/sun/tools/attach")) {
        AttachApi.missing().lines().forEach(err::println);
        return CommandFailure.TARGET_FAILED;
      }
      throw missing;
    }
  }

  /** The short usage: the command line's shape and the list of commands. */
  static String usage() {
    StringBuilder sb = new StringBuilder("usage: java -jar tiered-cache-agent.jar <command> [arguments]")
        .append(System.lineSeparator()).append("commands:");
    for (Command c : COMMANDS) {
      sb.append(System.lineSeparator()).append(String.format("  %-50s %s", c.synopsis(), c.summary()));
    }
    return sb.append(System.lineSeparator())
        .append("java -jar tiered-cache-agent.jar <command> --help tells more about one command").toString();
  }

  /** What {@code --help} prints. */
  static String help() {
    return String.join(System.lineSeparator(),
        "tiered-cache: caches the methods a YAML rules file names, in a JVM started with the agent or running already.",
        "",
        usage(),
        "",
        "exit status: 0 done, 1 invalid input (rules file, pid), 2 usage error, 3 the target JVM refused or failed",
        "",
        "to cache an application from its start: java -javaagent:tiered-cache-agent.jar=rules.yaml -jar app.jar",
        "attach, detach, list and stats need a JDK (the jdk.attach module) and the JVM's own user;",
        "without the command line: jcmd <pid> JVMTI.agent_load /path/tiered-cache-agent.jar /path/rules.yaml");
  }

  private static Command find(String name) {
    for (Command c : COMMANDS) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static boolean isHelp(String word) {
    return word.equals("--help") || word.equals("-h");
  }
}
