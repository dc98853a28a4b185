package dev.tieredcache.agent.rules;

import dev.tieredcache.runtime.RulePolicy;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The {@code validate} command: {@code java -jar tiered-cache-agent.jar validate rules.yaml [--classpath
 * app.jar:lib/*]}. It parses the file, checks the rules against the application's classes without loading them, and
 * prints either every problem or a summary of the rules.
 */
public final class ValidateCommand {

  static final String USAGE = "usage: java -jar tiered-cache-agent.jar validate rules.yaml [--classpath "
      + "app.jar" + File.pathSeparator + "classes" + File.pathSeparator + "lib/*]";

  private ValidateCommand() {}

  /**
   * Runs the command.
   *
   * @param args the words after {@code validate} (a leading {@code validate} is skipped too): the rules file, and
   *     optionally {@code --classpath} (or {@code -cp}) with entries separated by the platform's path separator,
   *     each a jar, a directory of classes, or {@code dir/*} for every jar in a directory. The JDK's own classes are
   *     always seen.
   * @param out where the summary goes
   * @param err where problems and the usage line go
   * @return 0 when the rules are valid (warnings may have been printed), 1 when the file has problems, 2 on a usage
   *     error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<String> words = new ArrayList<>(Arrays.asList(args));
    if (words.size() > 1 && words.get(0).equals("validate")) {
      words.remove(0);
    }
    String rulesPath = null;
    String classpath = null;
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i);
      if (word.equals("--classpath") || word.equals("-cp")) {
        if (i + 1 == words.size() || classpath != null) {
          return usage(err, classpath != null ? "--classpath is given twice" : word + " needs a value");
        }
        classpath = words.get(++i);
      } else if (word.startsWith("--classpath=")) {
        if (classpath != null) {
          return usage(err, "--classpath is given twice");
        }
        classpath = word.substring("--classpath=".length());
      } else if (word.startsWith("-")) {
        return usage(err, "unknown option " + word);
      } else if (rulesPath != null) {
        return usage(err, "one rules file at a time; got " + rulesPath + " and " + word);
      } else {
        rulesPath = word;
      }
    }
    if (rulesPath == null) {
      return usage(err, "no rules file given");
    }

    RulesFile rules;
    try {
      rules = RulesParser.parse(Paths.get(rulesPath));
    } catch (InvalidPathException e) {
      return usage(err, "'" + rulesPath + "' is not a file name");
    } catch (RulesException e) {
      e.errors().forEach(err::println);
      return 1;
    }

    List<ClassFileLocator> locators = new ArrayList<>();
    try {
      for (File entry : ClassPathEntries.expand(classpath == null ? "" : classpath)) {
        locators.add(entry.isDirectory() ? new ClassFileLocator.ForFolder(entry) : ClassFileLocator.ForJarFile.of(entry));
      }
    } catch (IllegalArgumentException | IOException e) {
      closeAll(locators);
      return usage(err, e.getMessage());
    }
    TargetCheckResult result;
    try {
      // the JDK's locator is not closed: it reads through the shared platform class loader
      List<ClassFileLocator> all = new ArrayList<>();
      all.add(ClassFileLocator.ForClassLoader.ofPlatformLoader());
      all.addAll(locators);
      result = RuleTargetCheck.checkAll(rules, TypePool.Default.WithLazyResolution.of(new ClassFileLocator.Compound(all)));
    } finally {
      closeAll(locators);
    }
    for (RulesError warning : result.warnings()) {
      err.println(warning.file() + ":" + warning.line() + ":" + warning.column() + ": warning: " + warning.message());
    }
    if (!result.isOk()) {
      result.errors().forEach(err::println);
      return 1;
    }
    for (RuleSpec rule : rules.rules()) {
      out.println(summary(rule));
    }
    int n = rules.rules().size();
    out.println("OK: " + n + (n == 1 ? " rule" : " rules"));
    return 0;
  }

  /** One line per rule: what it names, its key and how long values live. */
  static String summary(RuleSpec rule) {
    if (rule.isEvict()) {
      EvictSpec evict = rule.evict().get();
      return "evict " + rule.name() + " -> " + evict.ruleName()
          + evict.key().map(k -> " key=" + k).orElse(" all") + "  " + rule.method();
    }
    RulePolicy p = rule.policy();
    return rule.name() + "  " + rule.method() + "  key=" + rule.key().map(KeyTemplate::toString)
        .orElse("(all arguments)") + "  ttl=" + ValueSyntax.format(p.ttl())
        + " swr=" + ValueSyntax.format(p.staleWhileRevalidate()) + " sie=" + ValueSyntax.format(p.staleIfError())
        + " tiers=" + p.tiers().stream().map(PolicyReader::tierName).collect(Collectors.joining(", ", "[", "]"));
  }

  private static int usage(PrintStream err, String problem) {
    err.println("validate: " + problem);
    err.println(USAGE);
    return 2;
  }

  private static void closeAll(List<ClassFileLocator> locators) {
    for (ClassFileLocator locator : locators) {
      try {
        locator.close();
      } catch (IOException e) {
        // a jar that fails to close was only read; nothing to recover
      }
    }
  }
}
