package dev.tieredcache.agent.cli;

import dev.tieredcache.agent.jmx.JmxRegistration;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * What {@code stats} prints, read from the tiered-cache MBeans of an MBean server: the agent's state, then a table
 * with one row per rule. Attributes are read by name, so a newer command line reads an older agent (a missing
 * attribute shows as {@code ?}).
 */
final class StatsReport {

  /** The columns of the rules table: heading, then the rule MBean's attribute. */
  static final Map<String, String> COLUMNS = columns();

  private StatsReport() {}

  private static Map<String, String> columns() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("HITS-FRESH", "FreshHits");
    c.put("HITS-STALE", "StaleHits");
    c.put("MISSES", "Misses");
    c.put("LOADS", "Loads");
    c.put("LOAD-ERRORS", "LoadErrors");
    c.put("STALE-ON-ERROR", "StaleOnError");
    c.put("COALESCED", "CoalescedWaits");
    c.put("REFRESHES", "Refreshes");
    c.put("EVICTIONS", "Evictions");
    c.put("REDIS-HITS", "RedisHits");
    c.put("REDIS-ERRORS", "RedisErrors");
    c.put("BP-IN", "BackplaneIn");
    c.put("BP-OUT", "BackplaneOut");
    c.put("ENTRIES", "MemoryEntries");
    c.put("LOADS-OK", "LoadSuccesses");
    c.put("LOAD-AVG-MS", "LoadAverageMillis");
    return c;
  }

  /**
   * The lines to print, or empty when the server has no tiered-cache agent MBean.
   *
   * @param title what the first line starts with: {@code JVM <pid> (<main class>)}
   */
  static List<String> read(MBeanServerConnection server, String title) throws IOException, JMException {
    if (!server.isRegistered(JmxRegistration.agentName())) {
      return List.of();
    }
    Map<String, Object> agent = attributes(server, JmxRegistration.agentName(), "Version", "RulesFile", "LoadedAt",
        "CachingRules", "EvictRules", "InstrumentedMethods", "TransformErrors", "Redis", "RedisState",
        "BackplaneState", "BackplaneReceived", "BackplaneMalformed", "BackplaneReconnects");
    List<String> lines = new ArrayList<>();
    lines.add(title + ": tiered-cache " + agent.get("Version"));
    lines.add("rules:      " + agent.get("RulesFile") + " (loaded " + agent.get("LoadedAt") + "): "
        + agent.get("CachingRules") + " caching, " + agent.get("EvictRules") + " evict; "
        + count(agent.get("InstrumentedMethods"), "method") + " instrumented, "
        + count(agent.get("TransformErrors"), "transformation error"));
    String redis = String.valueOf(agent.get("Redis"));
    lines.add("redis:      " + redis + (redis.equals("not configured") ? "" : " (" + agent.get("RedisState") + ")"));
    String backplane = String.valueOf(agent.get("BackplaneState"));
    lines.add("backplane:  " + backplane + (backplane.equals("off") ? "" : "; " + agent.get("BackplaneReceived")
        + " received, " + agent.get("BackplaneMalformed") + " unreadable, " + agent.get("BackplaneReconnects")
        + " resubscriptions"));
    lines.add("");

    List<String> headings = new ArrayList<>();
    headings.add("RULE");
    headings.addAll(COLUMNS.keySet());
    TextTable table = new TextTable(headings.toArray(new String[0]));
    List<ObjectName> rules = new ArrayList<>(server.queryNames(JmxRegistration.allRules(), null));
    rules.sort(Comparator.comparing(n -> String.valueOf(n.getKeyProperty("name"))));
    String[] names = COLUMNS.values().toArray(new String[0]);
    for (ObjectName rule : rules) {
      Map<String, Object> values = attributes(server, rule, names);
      List<String> row = new ArrayList<>();
      row.add(rule.getKeyProperty("name"));
      for (String attribute : names) {
        row.add(cell(values.getOrDefault(attribute, "?")));
      }
      table.row(row.toArray(new String[0]));
    }
    lines.addAll(table.lines());
    if (rules.isEmpty()) {
      lines.add("(no caching rules)");
    }
    return lines;
  }

  /** A value as the table shows it: a time in milliseconds to a tenth, anything else as it is. */
  private static String cell(Object value) {
    return value instanceof Double ? String.format(Locale.ROOT, "%.1f", (Double) value) : String.valueOf(value);
  }

  /** {@code 1 method}, {@code 2 methods}. */
  private static String count(Object n, String noun) {
    return n + " " + noun + ("1".equals(String.valueOf(n)) ? "" : "s");
  }

  private static Map<String, Object> attributes(MBeanServerConnection server, ObjectName name, String... attributes)
      throws IOException, JMException {
    AttributeList list = server.getAttributes(name, attributes);
    Map<String, Object> values = new LinkedHashMap<>();
    for (Attribute a : list.asList()) {
      values.put(a.getName(), a.getValue());
    }
    for (String attribute : attributes) {
      values.putIfAbsent(attribute, "?");
    }
    return values;
  }
}
