package dev.tieredcache.agent;

import dev.tieredcache.agent.rules.ValidateCommand;
import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar tiered-cache-agent.jar <command> ...}: the operator's commands. */
final class CommandLine {

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: java -jar tiered-cache-agent.jar <command> [arguments]",
      "commands:",
      "  validate <rules.yaml> [--classpath app.jar:lib/*]   check a rules file (exit 0 valid, 1 invalid)",
      "to cache an application, start it with -javaagent:tiered-cache-agent.jar=rules.yaml");

  private CommandLine() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0])) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "validate":
        return ValidateCommand.run(rest, out, err);
      default:
        err.println("unknown command '" + args[0] + "'");
        err.println(USAGE);
        return 2;
    }
  }
}
