package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.StartClaim;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code list}: the JVMs of this user on this machine, each with its pid, Java version, main class or jar, and the
 * rules file tiered-cache runs there. A JVM that cannot be attached says why in its row; the command still
 * succeeds.
 */
final class ListCommand implements Command {

  /** How many JVMs are asked at the same time: one that does not answer takes the attach API's 10 s. */
  private static final int PARALLEL = 8;
  /** The longest reason shown in a row. */
  private static final int MAX_REASON = 100;

  @Override
  public String name() {
    return "list";
  }

  @Override
  public String synopsis() {
    return "list";
  }

  @Override
  public String summary() {
    return "the JVMs of this user, and which run tiered-cache";
  }

  @Override
  public String help() {
    return String.join(System.lineSeparator(),
        usage(),
        "",
        "Lists the JVMs of this user on this machine: pid, Java version, main class (or jar), and the rules file",
        "tiered-cache runs there ('-' when it does not run). Each JVM is attached to read its system properties;",
        "one that cannot be attached shows why instead (see attach --help). The program arguments of a JVM are",
        "never shown: they may hold secrets.",
        "",
        "exit status: 0 listed (also when some JVMs could not be attached), 2 usage error, 3 this Java has no",
        "jdk.attach module");
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws CommandFailure {
    if (!args.isEmpty()) {
      throw CommandFailure.usage(name(), "takes no arguments; got " + String.join(" ", args), usage());
    }
    AttachApi.requireAvailable();
    List<TargetJvm.Listed> jvms = TargetJvm.listLocal();
    if (jvms.isEmpty()) {
      out.println("no other JVM of user " + ProcessHandle.current().info().user().orElse("?")
          + " runs on this machine");
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL, jvms.size()), task -> {
      Thread t = new Thread(task, "list-attach");
      t.setDaemon(true);
      return t;
    });
    try {
      List<CompletableFuture<String[]>> rows = new ArrayList<>();
      jvms.sort(Comparator.comparingLong(jvm -> pidNumber(jvm.pid)));
      for (TargetJvm.Listed jvm : jvms) {
        rows.add(CompletableFuture.supplyAsync(() -> row(jvm), pool));
      }
      TextTable table = new TextTable("PID", "JAVA", "MAIN", "TIERED-CACHE");
      for (CompletableFuture<String[]> row : rows) {
        table.row(row.join());
      }
      table.lines().forEach(out::println);
    } finally {
      pool.shutdownNow();
    }
  }

  private static long pidNumber(String pid) {
    try {
      return Long.parseLong(pid);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private String[] row(TargetJvm.Listed listed) {
    String main = listed.displayName.isBlank() ? "?" : listed.displayName.trim().split("\\s+")[0];
    try {
      TargetProcess process = TargetProcess.find(name(), listed.pid, usage());
      try (TargetJvm jvm = TargetJvm.attach(process)) {
        Properties system = jvm.systemProperties();
        String rules = system.getProperty(StartClaim.PROPERTY);
        return new String[] {listed.pid, system.getProperty("java.specification.version", "?"), main,
            rules == null ? "-" : rules};
      }
    } catch (CommandFailure failure) {
      String reason = failure.lines().get(0).replaceFirst("^cannot attach to JVM [0-9]+: ", "");
      if (reason.length() > MAX_REASON) {
        reason = reason.substring(0, MAX_REASON - 3) + "...";
      }
      return new String[] {listed.pid, "?", main, "? cannot attach: " + reason};
    }
  }
}
