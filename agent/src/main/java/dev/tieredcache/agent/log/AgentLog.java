package dev.tieredcache.agent.log;

import java.io.PrintStream;
import org.slf4j.event.Level;

/**
 * The agent's own log: lines on stderr that start with {@code [tiered-cache]}. It never touches the host's
 * logging configuration; the level comes from the rules file's {@code log-level}.
 */
public final class AgentLog {

  /** The prefix of every line the agent writes. */
  public static final String PREFIX = "[tiered-cache] ";

  private static volatile int threshold = Level.INFO.toInt();

  private AgentLog() {}

  /** Sets the level by its rules-file name: error, warn, info, debug or trace. */
  public static void setLevel(String name) {
    threshold = Level.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT)).toInt();
  }

  static boolean enabled(Level level) {
    return level.toInt() >= threshold;
  }

  static void write(Level level, String message, Throwable error) {
    PrintStream err = System.err;
    StringBuilder line = new StringBuilder(PREFIX.length() + 8 + message.length());
    line.append(PREFIX).append(level.name()).append(' ').append(message);
    synchronized (err) {
      err.println(line);
      if (error != null) {
        error.printStackTrace(err);
      }
    }
  }
}
