package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.rules.RuleSpec;
import dev.tieredcache.agent.rules.RulesFile;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * {@code validate rules.yaml [--classpath app.jar:lib/*]}: parses the file, checks the rules against the
 * application's classes without loading them, and prints either every problem or a summary of the rules.
 */
final class ValidateCommand implements Command {

  static final String USAGE = "usage: java -jar tiered-cache-agent.jar validate rules.yaml [--classpath "
      + "app.jar" + File.pathSeparator + "classes" + File.pathSeparator + "lib/*]";

  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String synopsis() {
    return "validate <rules.yaml> [--classpath app.jar" + File.pathSeparator + "lib/*]";
  }

  @Override
  public String summary() {
    return "check a rules file, and its rules against the classes";
  }

  @Override
  public String usage() {
    return USAGE;
  }

  @Override
  public String help() {
    return String.join(System.lineSeparator(),
        USAGE,
        "",
        "Checks a rules file without running anything: every error at once, as file:line:column: message, then",
        "each rule's methods against the application's classes (read from the class files, never loaded): the",
        "method exists, returns a value, and its arguments make a key that is the same in every JVM. Without",
        "--classpath only the JDK's classes are seen; a class that is not found is a warning (it is checked when",
        "it loads).",
        "",
        "  --classpath, -cp   jars and class directories, separated by '" + File.pathSeparator + "'; dir/* is every jar"
            + " in dir",
        "",
        "exit status: 0 valid (warnings may be printed), 1 the file has errors, 2 usage error");
  }

  @Override
  public void run(List<String> words, PrintStream out, PrintStream err) throws CommandFailure {
    String rulesPath = null;
    String classpath = null;
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--classpath") || word.equals("-cp")) {
        if (i + 1 == words.size() || classpath != null) {
          throw usageError(classpath != null ? "--classpath is given twice" : word + " needs a value");
        }
        classpath = words.get(++i);
      } else if (word.startsWith("--classpath=")) {
        if (classpath != null) {
          throw usageError("--classpath is given twice");
        }
        classpath = word.substring("--classpath=".length());
      } else if (word.startsWith("-")) {
        throw usageError("unknown option " + word);
      } else if (rulesPath != null) {
        throw usageError("one rules file at a time; got " + rulesPath + " and " + word);
      } else {
        rulesPath = word;
      }
    }
    if (rulesPath == null) {
      throw usageError("no rules file given");
    }
    Path file;
    try {
      file = Paths.get(rulesPath);
    } catch (InvalidPathException e) {
      throw usageError("'" + rulesPath + "' is not a file name");
    }
    RulesFile rules = RulesCheck.read(file, System::getenv);
    List<File> entries;
    try {
      entries = ClassPathEntries.expand(classpath == null ? "" : classpath);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    try {
      RulesCheck.checkTargets(rules, entries, err);
    } catch (IOException e) {
      throw usageError(e.getMessage());
    }
    for (RuleSpec rule : rules.rules()) {
      out.println(rule.summary());
    }
    int n = rules.rules().size();
    out.println("OK: " + n + (n == 1 ? " rule" : " rules"));
  }

  private CommandFailure usageError(String problem) {
    return CommandFailure.usage(name(), problem, USAGE);
  }
}
