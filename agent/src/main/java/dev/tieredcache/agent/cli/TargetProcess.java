package dev.tieredcache.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The process a pid on the command line names, checked before anything is sent to it: it exists, runs as the same
 * user, and is a JVM. Without these checks the attach API waits 10 s on a process that is not a JVM, after sending it
 * SIGQUIT, which stops most programs that are not JVMs.
 *
 * <p>What it reads of another process comes from {@code /proc} on Linux; elsewhere those checks are left to the
 * attach API.
 */
final class TargetProcess {

  private final long pid;
  private final ProcessHandle handle;

  private TargetProcess(long pid, ProcessHandle handle) {
    this.pid = pid;
    this.handle = handle;
  }

  /**
   * The process {@code pidText} names.
   *
   * @param command the command, for usage errors
   * @param usage its usage line
   * @throws CommandFailure {@link CommandFailure#USAGE} when {@code pidText} is not a number;
   *     {@link CommandFailure#INVALID_INPUT} when no such process runs, it is this command's own JVM, it belongs to
   *     another user, or it is not a JVM
   */
  static TargetProcess find(String command, String pidText, String usage) throws CommandFailure {
    long pid;
    try {
      pid = Long.parseLong(pidText);
    } catch (NumberFormatException e) {
      pid = -1;
    }
    if (pid <= 0) {
      throw CommandFailure.usage(command, "'" + pidText + "' is not a process id (a positive number; `java -jar "
          + "tiered-cache-agent.jar list` shows the JVMs you can reach)", usage);
    }
    if (pid == ProcessHandle.current().pid()) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, "pid " + pid + " is this command's own JVM; give the pid"
          + " of the application's JVM (`java -jar tiered-cache-agent.jar list` shows them)");
    }
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, "no process with pid " + pid + " runs on this machine;"
          + " `java -jar tiered-cache-agent.jar list` shows the JVMs you can reach. A JVM in a container has another"
          + " pid inside the container than outside: use the pid as seen where this command runs.");
    }
    TargetProcess process = new TargetProcess(pid, handle.get());
    Optional<String> theirs = process.user();
    Optional<String> ours = ProcessHandle.current().info().user();
    if (theirs.isPresent() && ours.isPresent() && !theirs.equals(ours) && !ours.get().equals("root")) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, "process " + pid + " runs as user '" + theirs.get()
          + "' and this command as '" + ours.get() + "': a JVM only accepts attach requests from its own user."
          + " Run the command as that user: sudo -u " + theirs.get() + " java -jar tiered-cache-agent.jar "
          + command + " " + pid + " ...");
    }
    Optional<Boolean> jvm = process.hasJvmLoaded();
    if (jvm.isPresent() && !jvm.get()) {
      throw new CommandFailure(CommandFailure.INVALID_INPUT, "process " + pid + process.commandName().map(c -> " ("
          + c + ")").orElse("") + " is not a Java virtual machine; `java -jar tiered-cache-agent.jar list` shows the"
          + " JVMs you can reach");
    }
    return process;
  }

  long pid() {
    return pid;
  }

  /** The user the process runs as, where the OS tells. */
  Optional<String> user() {
    return handle.info().user();
  }

  /** The program it runs, where the OS tells. */
  Optional<String> commandName() {
    return handle.info().command();
  }

  /**
   * The environment the process started with, as {@code /proc/<pid>/environ} shows it: what {@code ${VAR}} in a
   * rules file means there. Empty where it cannot be read.
   */
  Optional<Map<String, String>> environment() {
    try {
      byte[] bytes = Files.readAllBytes(proc("environ"));
      Map<String, String> env = new HashMap<>();
      for (String entry : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      return Optional.of(env);
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /**
   * A path of the process's own file system: the same as {@code path} for a process beside this one, the file
   * inside its container for one in a container. {@code path} itself where {@code /proc} does not show it.
   */
  Path inItsFileSystem(Path path) {
    Path root = proc("root");
    if (!Files.isDirectory(root)) {
      return path;
    }
    return root.resolve(Paths.get("/").relativize(path.toAbsolutePath()).toString());
  }

  /** Likely reasons why the attach API could not reach this JVM, most specific first; each a sentence. */
  List<String> attachFailureReasons() {
    List<String> reasons = new ArrayList<>();
    boolean linux = Files.isDirectory(proc(""));
    if (linux && !Files.isDirectory(proc("root").resolve("tmp"))) {
      reasons.add("Its /tmp, where the JVM keeps its attach socket, cannot be seen from here (through /proc/" + pid
          + "/root/tmp): it runs in another container or as another user. Run the command inside that container as"
          + " the JVM's user (docker exec -u <user> <container> java -jar /path/tiered-cache-agent.jar ...), or"
          + " there, with the JDK's jcmd: jcmd <pid> JVMTI.agent_load /path/tiered-cache-agent.jar"
          + " /path/rules.yaml");
    } else if (linux && inOtherMountNamespace()) {
      reasons.add("It runs in another container (mount namespace): if the attach socket in its /tmp is not reachable"
          + " from here, run the command inside that container as the JVM's user, or there: jcmd <pid>"
          + " JVMTI.agent_load /path/tiered-cache-agent.jar /path/rules.yaml");
    }
    Optional<String> theirs = user();
    if (theirs.isPresent() && !theirs.equals(ProcessHandle.current().info().user())) {
      reasons.add("It runs as user '" + theirs.get() + "': run the command as that user (sudo -u " + theirs.get()
          + " java -jar tiered-cache-agent.jar ...).");
    }
    reasons.add("It may have been started with -XX:+DisableAttachMechanism (then nothing can attach; restart it"
        + " without), be starting or stopping, or its attach socket /tmp/.java_pid" + pid + " may have been deleted"
        + " by a /tmp cleaner (restart the JVM to attach again).");
    return reasons;
  }

  /**
   * Whether the process has the HotSpot (or another) JVM library mapped, from {@code /proc/<pid>/maps}; empty when
   * that cannot be read (another OS, another user).
   */
  private Optional<Boolean> hasJvmLoaded() {
    try {
      for (String line : Files.readAllLines(proc("maps"), StandardCharsets.ISO_8859_1)) {
        if (line.contains("/libjvm.")) {
          return Optional.of(true);
        }
      }
      return Optional.of(false);
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private boolean inOtherMountNamespace() {
    try {
      return !Files.readSymbolicLink(proc("ns/mnt")).equals(Files.readSymbolicLink(Paths.get("/proc/self/ns/mnt")));
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  private Path proc(String entry) {
    Path dir = Paths.get("/proc", String.valueOf(pid));
    return entry.isEmpty() ? dir : dir.resolve(entry);
  }
}
