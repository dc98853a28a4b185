package dev.tieredcache.benchmarks.load;

import java.time.Duration;

/**
 * The settings of a load run, from system properties ({@code -Dload.threads=64}); durations as {@code 20s},
 * {@code 500ms} or {@code 2m}. {@code -Dload.all=4s} sets every phase to that length (a quick smoke run).
 */
final class LoadOptions {

  final int threads = Integer.getInteger("load.threads", 64);
  final int keys = Integer.getInteger("load.keys", 10_000);
  final double zipf = Double.parseDouble(System.getProperty("load.zipf", "1.0"));
  final long latencyMillis = millis("load.latency", "20ms");
  final long slowMillis = millis("load.slow-latency", "2s");
  final long warmupMillis = phase("load.warmup", "10s");
  final long steadyMillis = phase("load.steady", "20s");
  final long failingMillis = phase("load.failing", "20s");
  final long slowPhaseMillis = phase("load.slow", "20s");
  final long killedMillis = phase("load.killed", "20s");
  final long pausedMillis = phase("load.paused", "10s");
  final long recoveryMillis = phase("load.recovery", "10s");
  /** The rule's error-backoff, for the check of upstream calls per key while it fails (load-rules.yaml). */
  final long errorBackoffMillis = millis("load.error-backoff", "5s");
  final String redisServer = System.getProperty("load.redis-server", "redis-server");
  final String out = System.getProperty("load.out");

  static LoadOptions fromSystemProperties() {
    return new LoadOptions();
  }

  private static long phase(String name, String otherwise) {
    String all = System.getProperty("load.all");
    return parse(name, System.getProperty(name, all != null ? all : otherwise));
  }

  private static long millis(String name, String otherwise) {
    return parse(name, System.getProperty(name, otherwise));
  }

  static long parse(String name, String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Long.parseLong(t.substring(0, t.length() - 2));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1))).toMillis();
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))).toMillis();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("-D" + name + "=" + text + ": write a duration such as 20s, 500ms or 2m");
  }

  /** The properties to pass on to the run's JVM. */
  static java.util.List<String> asJvmArguments() {
    java.util.List<String> args = new java.util.ArrayList<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("load.")) {
        args.add("-D" + name + "=" + System.getProperty(name));
      }
    }
    return args;
  }
}
