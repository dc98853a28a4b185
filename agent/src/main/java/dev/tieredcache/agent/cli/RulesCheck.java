package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.rules.RuleTargetCheck;
import dev.tieredcache.agent.rules.RulesError;
import dev.tieredcache.agent.rules.RulesException;
import dev.tieredcache.agent.rules.RulesFile;
import dev.tieredcache.agent.rules.RulesParser;
import dev.tieredcache.agent.rules.TargetCheckResult;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What {@code validate} and {@code attach} do before anything runs: read the rules file, then check its rules against
 * the classes of a class path. Problems come out as {@code file:line:column: message}, one a line.
 */
final class RulesCheck {

  private RulesCheck() {}

  /**
   * Reads {@code file}, taking {@code ${VAR}} values from {@code env}.
   *
   * @throws CommandFailure {@link CommandFailure#INVALID_INPUT} with every problem of the file
   */
  static RulesFile read(Path file, Function<String, String> env) throws CommandFailure {
    try {
      return RulesParser.parse(file, env);
    } catch (RulesException invalid) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, lines(invalid.errors()));
    }
  }

  /**
   * Checks the rules against the JDK's classes and those of {@code classPath}; prints the warnings (types it cannot
   * see are checked when they load) on {@code err}.
   *
   * @throws CommandFailure {@link CommandFailure#INVALID_INPUT} with every problem found
   * @throws IOException when a class path entry cannot be read
   */
  static void checkTargets(RulesFile rules, List<File> classPath, PrintStream err) throws CommandFailure, IOException {
    TargetCheckResult result;
    try (ClassFileTypes types = ClassFileTypes.open(classPath)) {
      result = RuleTargetCheck.checkAll(rules, types.pool());
    }
    for (RulesError warning : result.warnings()) {
      err.println(warning.file() + ":" + warning.line() + ":" + warning.column() + ": warning: " + warning.message());
    }
    if (!result.isOk()) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, lines(result.errors()));
    }
  }

  private static List<String> lines(List<RulesError> errors) {
    List<String> lines = new ArrayList<>();
    for (RulesError e : errors) {
      lines.add(e.toString());
    }
    return lines;
  }
}
