package dev.tieredcache.it.redisapps;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Stands for a deserialisation gadget on the host's class path: a class a payload in Redis must never be able to
 * make the agent load, initialise or construct. Where the system property {@value #MARKER_PROPERTY} names a file
 * (the forked app's JVM; not the test JVM, which builds the payload), its static initialiser prints
 * {@value #INITIALISED} and its constructor {@value #CONSTRUCTED}, and both append that word to the file. It
 * implements {@link Notice} and is {@link Serializable}, as a real gadget would happen to.
 */
public class Gadget implements Notice, Serializable {

  public static final String INITIALISED = "GADGET-INITIALISED";
  public static final String CONSTRUCTED = "GADGET-CONSTRUCTED";
  public static final String MARKER_PROPERTY = "gadget.marker";
  private static final long serialVersionUID = 1L;

  static {
    trace(INITIALISED);
  }

  private final String command = "rm -rf /";

  public Gadget() {
    trace(CONSTRUCTED);
  }

  @Override
  public String text() {
    return "gadget would run: " + command;
  }

  private static void trace(String word) {
    String marker = System.getProperty(MARKER_PROPERTY);
    if (marker != null) {
      System.out.println(word);
      try {
        Files.write(Path.of(marker), (word + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
