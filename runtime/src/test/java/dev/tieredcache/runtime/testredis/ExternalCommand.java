package dev.tieredcache.runtime.testredis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs a short-lived command such as {@code redis-cli} or {@code kill} and returns its output. */
final class ExternalCommand {

  /** redis-cli colours its {@code --cluster} messages even when writing to a file. */
  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[;\\d]*[A-Za-z]");

  private ExternalCommand() {}

  /**
   * Runs {@code command} with stdin closed and stdout and stderr merged, and returns that output.
   *
   * @throws IllegalStateException naming the command line and quoting the output, when the command cannot start,
   *     exits with a code other than 0 or runs longer than {@code timeout} (it is killed then)
   */
  static String run(Duration timeout, List<String> command) {
    Path output;
    try {
      output = Files.createTempFile("redis-fixture-command-", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Process process;
      try {
        process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + commandLine(command) + ": " + e.getMessage()
            + " (is it installed and on the PATH?)", e);
      }
      boolean exited = waitFor(process, timeout);
      String text = read(output);
      if (!exited) {
        process.destroyForcibly();
        waitFor(process, Duration.ofSeconds(5));
        throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms: " + commandLine(command)
            + "\n" + indent("output", text));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("exit code " + process.exitValue() + ": " + commandLine(command)
            + "\n" + indent("output", text));
      }
      return text;
    } finally {
      try {
        Files.deleteIfExists(output);
      } catch (IOException ignored) {
        // a leftover file in the temp directory is harmless
      }
    }
  }

  /** Waits for the process to exit, keeping the thread's interrupt status; false if it is still running. */
  static boolean waitFor(Process process, Duration timeout) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        try {
          return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The command as one could paste it into a shell: empty and spaced arguments are quoted. */
  static String commandLine(List<String> command) {
    List<String> quoted = new ArrayList<>();
    for (String argument : command) {
      quoted.add(argument.isEmpty() || argument.matches(".*[\\s\"'$\\\\].*")
          ? "'" + argument.replace("'", "'\\''") + "'" : argument);
    }
    return String.join(" ", quoted);
  }

  /** A titled block of text, every line indented, for exception messages. */
  static String indent(String title, String text) {
    String body = text.strip().isEmpty() ? "(empty)" : text.strip();
    return "  " + title + ":\n    " + body.replace("\n", "\n    ");
  }

  private static String read(Path file) {
    try {
      return ANSI_ESCAPE.matcher(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).replaceAll("");
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
