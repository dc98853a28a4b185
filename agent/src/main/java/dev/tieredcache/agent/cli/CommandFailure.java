package dev.tieredcache.agent.cli;

import java.util.List;

/**
 * Why a command stops, as the lines to print on stderr and the exit status: {@link #INVALID_INPUT},
 * {@link #USAGE} or {@link #TARGET_FAILED}. Thrown by every step of a command; {@link CommandLine} prints it.
 */
final class CommandFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** The command did what it was asked. */
  static final int OK = 0;
  /** The rules file is invalid, or the pid names no JVM this command can reach. */
  static final int INVALID_INPUT = 1;
  /** The words on the command line do not form a command; the usage line follows the problem. */
  static final int USAGE = 2;
  /** The target JVM refused or failed, or cannot be attached from here. */
  static final int TARGET_FAILED = 3;

  private final int exitCode;
  private final List<String> lines;

  CommandFailure(int exitCode, List<String> lines) {
    super(String.join(System.lineSeparator(), lines));
    this.exitCode = exitCode;
    this.lines = List.copyOf(lines);
  }

  CommandFailure(int exitCode, String... lines) {
    this(exitCode, List.of(lines));
  }

  /** A usage error of {@code command}: {@code "<command>: <problem>"}, then its usage line. */
  static CommandFailure usage(String command, String problem, String usage) {
    return new CommandFailure(USAGE, command + ": " + problem, usage);
  }

  int exitCode() {
    return exitCode;
  }

  /** What to print on stderr, one element a line. */
  List<String> lines() {
    return lines;
  }
}
