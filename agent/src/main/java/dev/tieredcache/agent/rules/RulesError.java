package dev.tieredcache.agent.rules;

import java.util.Objects;

/**
 * One problem found in a rules file, with the place it was found. Immutable.
 *
 * <p>Its {@link #toString()} is the form users see and editors can jump to: {@code rules.yaml:12:5: unknown key 'tll'
 * (did you mean 'ttl'?)}.
 */
public final class RulesError {

  private final String file;
  private final int line;
  private final int column;
  private final String message;

  /**
   * Creates an error.
   *
   * @param file the rules file as the user named it
   * @param line 1-based line
   * @param column 1-based column
   * @param message what is wrong and how to fix it
   */
  public RulesError(String file, int line, int column, String message) {
    this.file = Objects.requireNonNull(file, "file");
    this.line = line;
    this.column = column;
    this.message = Objects.requireNonNull(message, "message");
  }

  /** The rules file as the user named it. */
  public String file() {
    return file;
  }

  /** The 1-based line the problem is on. */
  public int line() {
    return line;
  }

  /** The 1-based column the problem starts at. */
  public int column() {
    return column;
  }

  /** What is wrong and how to fix it, without the position. */
  public String message() {
    return message;
  }

  /** Returns {@code file:line:column: message}. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }

  /** Two errors are equal when file, position and message are. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RulesError)) {
      return false;
    }
    RulesError other = (RulesError) o;
    return line == other.line && column == other.column && file.equals(other.file) && message.equals(other.message);
  }

  /** Consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Objects.hash(file, line, column, message);
  }
}
