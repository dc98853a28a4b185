package dev.tieredcache.agent.rules;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * Coverage-guided fuzzing of the rules parser: whatever text a rules file holds, {@link RulesParser#parse} returns
 * a {@link RulesFile} or throws {@link RulesException}, taking at most {@value #MAX_CPU_MILLIS} ms of CPU and
 * allocating at most {@value #MAX_ALLOCATED_MB} MB. An input over a bound is run once more and fails only when it
 * is over again, so that loading a class the first time an input needs it is not a finding.
 *
 * <p>In {@code mvn verify} this runs the inputs kept under {@code RulesParserFuzzTestInputs/} in the test
 * resources (seeds, and every finding once fixed); {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class RulesParserFuzzTest {

  private static final long MAX_CPU_MILLIS = 100;
  private static final long MAX_ALLOCATED_MB = 64;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  /** Names starting with SET_ are set, so that both sides of ${VAR} and ${VAR:-default} are reached. */
  private static final Function<String, String> ENV = name -> name.startsWith("SET_") ? "value-of-" + name : null;

  static {
    // Loading SnakeYAML and the parser costs more than one input may; pay for it up front.
    try {
      RulesParser.parse("warm-up.yaml", "rules:\n  - name: price\n    method: com.acme.A#b(String)\n    ttl: 1s\n",
          ENV);
    } catch (RulesException eitherWayWarm) {
      // only the classes it loaded matter
    }
  }

  @FuzzTest(maxDuration = "5m")
  void parseAnyText(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    if (overBound(text) != null) {
      String over = overBound(text);
      if (over != null) {
        throw new AssertionError("parsing " + data.length + " bytes " + over);
      }
    }
  }

  private static String overBound(String text) {
    long thread = Thread.currentThread().getId();
    long cpuBefore = THREADS.getCurrentThreadCpuTime();
    long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
    try {
      RulesParser.parse("fuzz.yaml", text, ENV);
    } catch (RulesException invalid) {
      // the documented outcome for a file that is not valid
    }
    long cpuMillis = (THREADS.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000;
    long allocatedMb = (THREADS.getThreadAllocatedBytes(thread) - allocatedBefore) >> 20;
    if (cpuMillis > MAX_CPU_MILLIS) {
      return "took " + cpuMillis + " ms of CPU, more than " + MAX_CPU_MILLIS;
    }
    if (allocatedMb > MAX_ALLOCATED_MB) {
      return "allocated " + allocatedMb + " MB, more than " + MAX_ALLOCATED_MB;
    }
    return null;
  }
}
