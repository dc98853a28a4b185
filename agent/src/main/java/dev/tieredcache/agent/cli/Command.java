package dev.tieredcache.agent.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of {@code java -jar tiered-cache-agent.jar <command> ...}. */
interface Command {

  /** The word that names it on the command line. */
  String name();

  /** The command and its arguments, as the usage line shows them: {@code attach <pid> <rules.yaml>}. */
  String synopsis();

  /** What it does, in a few words, for the list of commands. */
  String summary();

  /** What {@code <command> --help} prints: what it does, its arguments, exit statuses and what to do on failure. */
  String help();

  /** {@code usage: java -jar tiered-cache-agent.jar <synopsis>}. */
  default String usage() {
    return "usage: java -jar tiered-cache-agent.jar " + synopsis();
  }

  /**
   * Checks that {@code args} are exactly {@code count} positional words (no option), naming what is missing as
   * {@code missing} ("needs a pid").
   */
  default void requireArguments(List<String> args, int count, String missing) throws CommandFailure {
    for (String arg : args) {
      if (arg.startsWith("-")) {
        throw CommandFailure.usage(name(), "unknown option " + arg, usage());
      }
    }
    if (args.size() != count) {
      throw CommandFailure.usage(name(), args.size() < count ? missing : "too many arguments: "
          + String.join(" ", args.subList(count, args.size())), usage());
    }
  }

  /**
   * Runs the command with the words after its name ({@code --help} is handled before).
   *
   * @param out where results go
   * @param err where warnings and notes go
   * @throws CommandFailure with the lines to print on {@code err} and the exit status, when it did not succeed
   */
  void run(List<String> args, PrintStream out, PrintStream err) throws CommandFailure;
}
