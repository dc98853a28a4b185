package dev.tieredcache.it.redisapps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Phases shared by a test and the JVMs it forks, as empty files in one directory (the forked JVMs' working
 * directory): a side raises a signal by creating its file, the other side waits for it. Files work across any number
 * of JVMs, need nothing on the apps' class path, and a left-over one is deleted with the test's temporary directory.
 */
public final class SignalFiles {

  private static final long POLL_MILLIS = 5;

  private final Path directory;

  private SignalFiles(Path directory) {
    this.directory = directory;
  }

  /** The signals of {@code directory}. */
  public static SignalFiles in(Path directory) {
    return new SignalFiles(directory);
  }

  /** The signals of the working directory, as the forked apps see them. */
  public static SignalFiles ofWorkingDirectory() {
    return new SignalFiles(Path.of("").toAbsolutePath());
  }

  /** Raises {@code name}; raising it again does nothing. */
  public void raise(String name) {
    try {
      Files.write(directory.resolve(name), new byte[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot raise signal " + name + " in " + directory, e);
    }
  }

  public boolean isRaised(String name) {
    return Files.exists(directory.resolve(name));
  }

  /**
   * Waits until {@code name} is raised.
   *
   * @throws IllegalStateException after {@code timeout}, so a JVM whose test went away ends instead of hanging
   */
  public void await(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!isRaised(name)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("signal " + name + " was not raised in " + directory + " within "
            + timeout.toMillis() + " ms");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for signal " + name, e);
      }
    }
  }

  /** The file behind {@code name}, for a side that wants its own look at it. */
  public Path file(String name) {
    return directory.resolve(name);
  }
}
