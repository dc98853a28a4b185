package dev.tieredcache.it.metricsapps;

import dev.tieredcache.it.apps.Report;
import dev.tieredcache.it.apps.SlowCatalog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A host application that makes the calls a metrics test counts, then waits to be scraped. It reads commands from
 * its standard input, one a line, and answers each with {@code RESULT} lines and {@code RESULT answered=<n>}:
 *
 * <ul>
 *   <li>{@code latency <ms>}: every following upstream call of {@link SlowCatalog#price} takes that long
 *   <li>{@code down <true|false>}: the upstream throws from now on, or works again
 *   <li>{@code price <sku> <n>}: calls {@link SlowCatalog#price} n times; reports {@code failed} (calls that threw)
 *       and {@code priceUpstream} (calls that ran the method's body, since the start)
 *   <li>{@code update <sku>}: calls {@link PriceUpdates#update}, which an evict rule names
 *   <li>{@code jmx <rule>}: every attribute of the rule's MBean, read in this JVM, as {@code jmx.<attribute>}
 *   <li>{@code threads}: {@code agentThreads}, the names of the threads called {@code tiered-cache-*}
 *   <li>{@code exit}, or the end of the input: exit with status 0
 * </ul>
 */
public final class MeteredCatalogApp {

  public static void main(String[] args) throws Exception {
    SlowCatalog catalog = new SlowCatalog();
    PriceUpdates updates = new PriceUpdates();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    int answered = 0;
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("exit")) {
      String[] words = line.trim().split(" ");
      switch (words[0]) {
        case "latency":
          SlowCatalog.latency(Long.parseLong(words[1]));
          break;
        case "down":
          SlowCatalog.down(Boolean.parseBoolean(words[1]));
          break;
        case "price":
          int failed = 0;
          for (int i = 0; i < Integer.parseInt(words[2]); i++) {
            try {
              catalog.price(words[1]);
            } catch (IllegalStateException down) {
              failed++;
            }
          }
          Report.result("failed", failed);
          Report.result("priceUpstream", SlowCatalog.UPSTREAM_CALLS.get());
          break;
        case "update":
          updates.update(words[1]);
          break;
        case "jmx":
          ObjectName rule = new ObjectName("dev.tieredcache:type=Rule,name=" + words[1]);
          for (MBeanAttributeInfo attribute : server.getMBeanInfo(rule).getAttributes()) {
            Object value = server.getAttribute(rule, attribute.getName());
            Report.result("jmx." + attribute.getName(), value instanceof long[] ? Arrays.toString((long[]) value)
                : value instanceof double[] ? Arrays.toString((double[]) value) : value);
          }
          break;
        case "threads":
          Report.result("agentThreads", Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
              .map(Thread::getName).filter(name -> name.startsWith("tiered-cache-")).sorted()
              .collect(Collectors.joining(",")));
          break;
        default:
          Report.result("unknownCommand", line);
      }
      Report.result("answered", ++answered);
    }
  }
}
