package dev.tieredcache.runtime.testredis;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes sure no redis process outlives the JVM that started it. Every fixture directory lives under one root
 * directory per JVM, and every process runs with its working directory there.
 *
 * <ul>
 *   <li>A shutdown hook kills every registered process that is still alive and deletes the root directory.</li>
 *   <li>A shutdown hook does not run when the JVM is killed (SIGKILL, a surefire fork timeout), so a watchdog
 *       {@code sh} process reads the pid of every started process from a pipe. When the pipe closes, which
 *       happens however the JVM ends, it kills each of those pids whose working directory is still under the
 *       root (so never a reused pid of an unrelated process) and deletes the root.</li>
 * </ul>
 */
final class ProcessReaper {

  /**
   * The watchdog: $1 is the root directory. Reads one pid a line until end of input, then kills the ones still
   * working under the root. Redis changes its working directory only to {@code --dir}, which is under the root.
   */
  private static final String WATCHDOG_SCRIPT = String.join("\n",
      "root=\"$1\"",
      "pids=''",
      "killed=no",
      "while IFS= read -r pid; do pids=\"$pids $pid\"; done",
      "for pid in $pids; do",
      "  case \"$(readlink \"/proc/$pid/cwd\" 2>/dev/null)\" in",
      "    \"$root\"/*) kill -9 \"$pid\" 2>/dev/null && killed=yes ;;",
      "  esac",
      "done",
      "[ \"$killed\" = yes ] && sleep 1",
      "[ -n \"$root\" ] && rm -rf -- \"$root\"",
      "");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final ReentrantLock WATCHDOG_LOCK = new ReentrantLock();
  private static final Path ROOT = createRoot();
  private static final OutputStream WATCHDOG = startWatchdog();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "redis-fixture-reaper"));
  }

  private ProcessReaper() {}

  /** A new empty directory under this JVM's root, named after {@code label}; processes must run inside one. */
  static Path newDirectory(String label) {
    try {
      return Files.createTempDirectory(ROOT, label + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory under " + ROOT, e);
    }
  }

  /** Kills {@code process} when the JVM ends, unless {@link #forget} is called first. */
  static void register(Process process) {
    LIVE.add(process);
    if (WATCHDOG == null) {
      return;
    }
    WATCHDOG_LOCK.lock();
    try {
      WATCHDOG.write((process.pid() + "\n").getBytes(StandardCharsets.US_ASCII));
      WATCHDOG.flush();
    } catch (IOException e) {
      // the watchdog is gone; the shutdown hook still covers a normal exit
    } finally {
      WATCHDOG_LOCK.unlock();
    }
  }

  /** Called once the process has exited. */
  static void forget(Process process) {
    LIVE.remove(process);
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try {
      Files.walkFileTree(directory, new SimpleFileVisitor<Path>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
          deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // deleted concurrently (the watchdog at exit); nothing left to do
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }

  private static void deleteIfExists(Path path) throws IOException {
    try {
      Files.deleteIfExists(path);
    } catch (NoSuchFileException e) {
      // gone already
    }
  }

  private static void killAll() {
    List<Process> processes = new ArrayList<>(LIVE);
    for (Process process : processes) {
      // SIGKILL also ends a process stopped with SIGSTOP
      process.destroyForcibly();
    }
    for (Process process : processes) {
      ExternalCommand.waitFor(process, Duration.ofSeconds(5));
    }
    try {
      deleteRecursively(ROOT);
    } catch (UncheckedIOException e) {
      // the JVM is exiting; a leftover temp directory is not worth a stack trace
    }
  }

  private static Path createRoot() {
    try {
      // toRealPath: the watchdog compares it with /proc/<pid>/cwd, which has symbolic links resolved
      return Files.createTempDirectory("tiered-cache-redis-").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for redis fixtures", e);
    }
  }

  /** The watchdog's stdin, or null where it cannot run (no {@code sh}); the shutdown hook still works then. */
  private static OutputStream startWatchdog() {
    try {
      Process watchdog = new ProcessBuilder("sh", "-c", WATCHDOG_SCRIPT, "redis-fixture-watchdog", ROOT.toString())
          .directory(new File("/"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return watchdog.getOutputStream();
    } catch (IOException e) {
      return null;
    }
  }
}
