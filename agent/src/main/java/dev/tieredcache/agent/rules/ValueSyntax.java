package dev.tieredcache.agent.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The written forms of scalar values in a rules file: durations, fractions, percentages, whole numbers, booleans and
 * ports. Each parse method throws {@link IllegalArgumentException} whose message says what is wrong and how to write
 * it, ready to be shown after the position.
 */
final class ValueSyntax {

  static final String DURATION_FORMS = "250ms, 5s, 10m, 2h or 1d";

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d+)?|\\.\\d+");
  private static final Pattern PERCENT = Pattern.compile("(\\d+(\\.\\d+)?)%");
  static final String SIZE_FORMS = "512KB, 1MB or 1048576 (bytes)";
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
  /** The largest value Redis accepts by default (proto-max-bulk-len). */
  private static final long MAX_SIZE = 512L * 1024 * 1024;

  private ValueSyntax() {}

  /** {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d}, or {@code 0}. */
  static Duration duration(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write it like " + DURATION_FORMS);
    }
    try {
      long amount = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(amount);
        case "s":
          return Duration.ofSeconds(amount);
        case "m":
          return Duration.ofMinutes(amount);
        case "h":
          return Duration.ofHours(amount);
        default:
          return Duration.ofDays(amount);
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration; write it like " + DURATION_FORMS);
    }
  }

  /**
   * A size in bytes: {@code 1048576}, {@code 1048576B}, {@code 512KB}, {@code 1MB}, {@code 1GB} (KB = 1024 bytes),
   * from 1 byte to 512MB.
   */
  static int size(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size; write it like " + SIZE_FORMS);
    }
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(java.util.Locale.ROOT);
    long factor = unit.equals("GB") ? 1L << 30 : unit.equals("MB") ? 1L << 20 : unit.equals("KB") ? 1L << 10 : 1;
    long bytes;
    try {
      bytes = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
    } catch (ArithmeticException | NumberFormatException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes < 1 || bytes > MAX_SIZE) {
      throw new IllegalArgumentException("'" + text + "' is out of range: a size is from 1 byte to 512MB (the most"
          + " Redis takes in one value); write it like " + SIZE_FORMS);
    }
    return (int) bytes;
  }

  /** True when the text has the shape of a duration, whatever its size. */
  static boolean looksLikeDuration(String text) {
    return text.equals("0") || DURATION.matcher(text).matches();
  }

  /** A decimal fraction {@code 0.1}, or null when the text is not one. */
  static Double decimalOrNull(String text) {
    return DECIMAL.matcher(text).matches() ? Double.valueOf(text) : null;
  }

  /** A percentage {@code 10%} as a fraction (0.1), or null when the text is not one. */
  static Double percentOrNull(String text) {
    Matcher m = PERCENT.matcher(text);
    return m.matches() ? Double.parseDouble(m.group(1)) / 100 : null;
  }

  /** {@code true} or {@code false}, nothing else: YAML 1.1's yes/no/on/off are too easy to write by accident. */
  static boolean bool(String text) {
    if (text.equals("true")) {
      return true;
    }
    if (text.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("'" + text + "' is not a boolean; write true or false");
  }

  /** A whole number of at least {@code min}, digits only. */
  static long wholeNumber(String text, String what, long min) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("'" + text + "' is not a whole number; write " + what + " like 10000");
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large for " + what);
    }
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", not " + text);
    }
    return value;
  }

  /** A TCP port, 1 to 65535. */
  static int port(String text, String example) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException("'" + text + "' is not a port (1 to 65535); write it like " + example);
    }
    return Integer.parseInt(text);
  }

  /** {@code host:port}, where host is a name, an IPv4 address or a bracketed IPv6 address. */
  static String hostAndPort(String text, String example) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || text.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("'" + text + "' is not host:port; write it like " + example);
    }
    port(text.substring(colon + 1), example);
    return text;
  }

  /** The shortest way to write a duration in a rules file: {@code 5s}, {@code 1m}, {@code 250ms}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long millis = d.toMillis();
    if (millis % 86_400_000L == 0) {
      return millis / 86_400_000L + "d";
    }
    if (millis % 3_600_000L == 0) {
      return millis / 3_600_000L + "h";
    }
    if (millis % 60_000L == 0) {
      return millis / 60_000L + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
