package dev.tieredcache.springapp;

import java.lang.management.ManagementFactory;

/** {@code RESULT name=value} lines on stdout, as every sample app of the integration tests prints them. */
final class Report {

  private Report() {}

  static void result(String name, Object value) {
    System.out.println("RESULT " + name + "=" + value);
    System.out.flush();
  }

  /** CPU time of the whole JVM process (every thread, JIT and GC included) since it started, in milliseconds. */
  static long processCpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }
}
