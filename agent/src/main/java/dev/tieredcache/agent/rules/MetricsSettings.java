package dev.tieredcache.agent.rules;

import java.time.Duration;
import java.util.Optional;

/** The {@code metrics:} section of a rules file, with defaults for what it leaves out. Immutable. */
public final class MetricsSettings {

  /** What a file without a {@code metrics:} section gets. */
  static final MetricsSettings DEFAULTS = new MetricsSettings(true, null, false, Duration.ZERO);

  private final boolean jmx;
  private final String prometheus;
  private final boolean micrometer;
  private final Duration statsInterval;

  MetricsSettings(boolean jmx, String prometheus, boolean micrometer, Duration statsInterval) {
    this.jmx = jmx;
    this.prometheus = prometheus;
    this.micrometer = micrometer;
    this.statsInterval = statsInterval;
  }

  /** Whether MBeans are registered per rule; true unless set. */
  public boolean jmx() {
    return jmx;
  }

  /**
   * Where to serve Prometheus {@code /metrics}: a port ({@code "9464"}, on the loopback address) or
   * {@code "host:port"}; empty (off) unless set.
   */
  public Optional<String> prometheus() {
    return Optional.ofNullable(prometheus);
  }

  /** Whether to register in the host's Micrometer global registry when present; false unless set. */
  public boolean micrometer() {
    return micrometer;
  }

  /** How often a summary line goes to the log; zero (off) unless set. */
  public Duration statsInterval() {
    return statsInterval;
  }

  /** A description for logs; not a stable format. */
  @Override
  public String toString() {
    return "MetricsSettings{jmx=" + jmx + ", prometheus=" + prometheus + ", micrometer=" + micrometer
        + ", statsInterval=" + ValueSyntax.format(statsInterval) + "}";
  }
}
