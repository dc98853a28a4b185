package dev.tieredcache.agent.prometheus;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Writes metric families in the Prometheus text exposition format, version 0.0.4: for each family a {@code # HELP}
 * and a {@code # TYPE} line, then its samples, one a line, label values escaped. It checks nothing about names; the
 * caller writes each family once and its samples together.
 */
final class TextExposition {

  /** The Content-Type of a page in this format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(4096);

  /** Starts the family {@code name} of {@code type} (counter, gauge, histogram) with its one-line {@code help}. */
  TextExposition family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    escapeHelp(help);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** A sample with an integer value; {@code labels} alternate names and values: {@code "rule", "price"}. */
  TextExposition sample(String name, long value, String... labels) {
    start(name, labels);
    out.append(value).append('\n');
    return this;
  }

  /** A sample with a value in seconds, written exactly to the nanosecond. */
  TextExposition sample(String name, Duration seconds, String... labels) {
    start(name, labels);
    out.append(seconds(seconds)).append('\n');
    return this;
  }

  /**
   * The samples of one histogram: a {@code _bucket} per bound (cumulative counts), the {@code le="+Inf"} bucket,
   * {@code _sum} and {@code _count}. {@code cumulative} has one count per bound, then the count of all.
   */
  TextExposition histogram(String name, List<Duration> bounds, long[] cumulative, Duration sum, String... labels) {
    if (cumulative.length != bounds.size() + 1) {
      throw new IllegalArgumentException(
          "a histogram needs one count per bound and one for all: " + cumulative.length + " for " + bounds.size());
    }
    String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
    withLe[labels.length] = "le";
    for (int i = 0; i <= bounds.size(); i++) {
      withLe[labels.length + 1] = i < bounds.size() ? seconds(bounds.get(i)) : "+Inf";
      sample(name + "_bucket", cumulative[i], withLe);
    }
    sample(name + "_sum", sum, labels);
    sample(name + "_count", cumulative[bounds.size()], labels);
    return this;
  }

  /** The page written so far. */
  String text() {
    return out.toString();
  }

  private void start(String name, String... labels) {
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("labels come in name, value pairs");
    }
    out.append(name);
    if (labels.length > 0) {
      out.append('{');
      for (int i = 0; i < labels.length; i += 2) {
        if (i > 0) {
          out.append(',');
        }
        out.append(labels[i]).append("=\"");
        escapeLabelValue(labels[i + 1]);
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ');
  }

  /** {@code 0.0025}, {@code 1}, {@code 12.5}: a duration in seconds without exponent or trailing zeros. */
  static String seconds(Duration d) {
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros()
        .toPlainString();
  }

  /** In label values, backslash, double quote and line feed are escaped. */
  private void escapeLabelValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '"') {
        out.append("\\\"");
      } else if (c == '\n') {
        out.append("\\n");
      } else {
        out.append(c);
      }
    }
  }

  /** In help text, backslash and line feed are escaped. */
  private void escapeHelp(String help) {
    for (int i = 0; i < help.length(); i++) {
      char c = help.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else {
        out.append(c);
      }
    }
  }
}
