package dev.tieredcache.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.AgentCli;
import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.LiveJvm;
import dev.tieredcache.it.OnEachJdk;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.cliapps.LiveCatalogApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code attach}, {@code list}, {@code stats} and {@code detach} run as users run them, against a JVM started
 * without the agent that calls a slow method in a loop.
 */
class AttachToRunningJvmTest {

  static final String PRICE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";
  static final String STOCK_METHOD = "dev.tieredcache.it.cliapps.StockLevels#level(java.lang.String)";
  static final String[] RULES = {
    "rules:",
    "  - name: price",
    "    method: " + PRICE_METHOD,
    "  - name: stock",
    "    method: " + STOCK_METHOD,
  };
  /** The JVM's stderr line (Java 21 and later) when an agent is loaded while it runs without the option. */
  static final String JEP_451_WARNING = "WARNING: A Java agent has been loaded dynamically";

  @TempDir
  Path dir;

  @OnEachJdk
  void attachStopsTheUpstreamCallsWithinASecondAndStatsCountWhatTheAppCounted(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).withoutAgent().jvmOption("-XX:+EnableDynamicAgentLoading").rules(RULES);
    AgentCli cli = AgentCli.on(jdk, dir);
    Path rules = jvm.rulesFile();
    try (LiveJvm app = jvm.start(LiveCatalogApp.class)) {
      long pid = app.pid();
      app.command("loop");
      awaitUncachedCalls(app);

      ForkedRun attach = cli.run("attach", String.valueOf(pid), rules.toString());
      assertThat(attach.exitCode()).as(attach.context("exit status of attach")).isZero();
      assertThat(attach.stdout()).as(attach.context("what attach printed"))
          .containsExactly("JVM " + pid + ": tiered-cache caches with the rules from " + rules);
      assertThat(attach.stderr()).as(attach.context("attach's stderr: no note, since the JVM allows agents"))
          .isEmpty();
      long atAttach = app.command("report").longResult("priceUpstream");
      LiveJvm.pause(1_000);
      long afterOneSecond = app.command("report").longResult("priceUpstream");
      long callsAfterOneSecond = app.longResult("loopCalls");
      LiveJvm.pause(1_000);
      assertThat(app.command("report").longResult("priceUpstream"))
          .as(app.context("upstream calls one and two seconds after attach")).isEqualTo(afterOneSecond);
      assertThat(afterOneSecond - atAttach).as(app.context("loads after attach: one per key")).isBetween(0L, 3L);
      assertThat(app.longResult("loopCalls")).as(app.context("the app's calls go on")).isGreaterThan(
          callsAfterOneSecond);

      ForkedRun list = cli.run("list");
      assertThat(list.exitCode()).as(list.context("exit status of list")).isZero();
      assertThat(list.stdout()).as(list.context("list: the JVM, its main class and its rules file"))
          .anyMatch(line -> line.matches(" *" + pid + " +" + jdk.feature() + " +"
              + Pattern.quote(LiveCatalogApp.class.getName()) + " +" + Pattern.quote(rules.toString())));

      app.command("pause");
      app.command("stock 200 4");
      long stockCalls = app.longResult("stockCalls");
      long stockUpstream = app.longResult("stockUpstream");
      assertThat(stockUpstream).as(app.context("stock loads: one per key")).isEqualTo(4);
      long loopCalls = app.command("report").longResult("loopCalls");
      long priceUpstream = app.longResult("priceUpstream");

      ForkedRun stats = cli.run("stats", String.valueOf(pid));
      assertThat(stats.exitCode()).as(stats.context("exit status of stats")).isZero();
      assertThat(stats.stdout().get(0)).as(stats.context("stats' first line"))
          .startsWith("JVM " + pid + " (" + LiveCatalogApp.class.getName() + "): tiered-cache ");
      assertThat(stats.stdout().get(1)).as(stats.context("stats' rules line")).startsWith("rules:      " + rules)
          .endsWith(": 2 caching, 0 evict; 2 methods instrumented, 0 transformation errors");
      Map<String, Long> stock = statsRow(stats, "stock");
      assertThat(stock.get("HITS-FRESH")).as(stats.context("fresh hits: the app's calls less its upstream calls"))
          .isEqualTo(stockCalls - stockUpstream);
      assertThat(stock.get("MISSES")).as(stats.context("misses: the app's upstream calls")).isEqualTo(stockUpstream);
      assertThat(stock.get("LOADS")).as(stats.context("loads: the app's upstream calls")).isEqualTo(stockUpstream);
      assertThat(stock.get("ENTRIES")).as(stats.context("memory entries: the keys")).isEqualTo(4);
      for (String zero : List.of("HITS-STALE", "LOAD-ERRORS", "STALE-ON-ERROR", "COALESCED", "REFRESHES",
          "EVICTIONS", "REDIS-HITS", "REDIS-ERRORS", "BP-IN", "BP-OUT")) {
        assertThat(stock.get(zero)).as(stats.context(zero + " of rule stock")).isZero();
      }
      Map<String, Long> price = statsRow(stats, "price");
      assertThat(price.get("LOADS")).as(stats.context("price loads: one per key since attach")).isEqualTo(3);
      assertThat(priceUpstream - atAttach).as(app.context("the app's upstream calls since attach returned"))
          .isLessThanOrEqualTo(3);
      assertThat(price.get("MISSES")).as(stats.context("price misses")).isEqualTo(3);
      assertThat(price.get("ENTRIES")).as(stats.context("price entries")).isEqualTo(3);
      assertThat(price.get("HITS-FRESH")).as(stats.context("price hits: calls since attach")).isPositive()
          .isLessThanOrEqualTo(loopCalls - 3);

      ForkedRun end = app.stop();
      assertThat(end.exitCode()).as(end.context("exit status of the app")).isZero();
      end.assertNoTransformationError();
      assertThat(end.agentLines("ERROR")).as(end.context("the agent's ERROR lines")).isEmpty();
      assertThat(end.stderr()).as(end.context("the JVM's stderr: no JEP 451 warning, the option was given"))
          .noneMatch(line -> line.contains(JEP_451_WARNING));
    }
  }

  @OnEachJdk
  void anInvalidFileLeavesTheJvmUntouchedAndAValidOneThenAttaches(TestJdk jdk) throws IOException {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).withoutAgent().rules(RULES);
    AgentCli cli = AgentCli.on(jdk, dir);
    Path rules = jvm.rulesFile();
    Path typo = write("typo.yaml", "rules:", "  - name: price", "    method: " + PRICE_METHOD, "    tll: 5s");
    Path wrongMethod = write("wrong-method.yaml", "rules:", "  - name: price",
        "    method: dev.tieredcache.it.apps.SlowCatalog#prise(java.lang.String)");
    try (LiveJvm app = jvm.start(LiveCatalogApp.class)) {
      String pid = String.valueOf(app.pid());
      app.command("loop");
      awaitUncachedCalls(app);

      ForkedRun first = cli.run("attach", pid, typo.toString());
      assertThat(first.exitCode()).as(first.context("exit status for a file with a typo")).isEqualTo(1);
      assertThat(first.stderr()).as(first.context("the file's error"))
          .containsExactly(typo + ":4:5: unknown key 'tll' (did you mean 'ttl'?)");
      assertThat(first.stdout()).isEmpty();
      // SlowCatalog is on the JVM's class path only, not on the command's: the check used the JVM's
      ForkedRun second = cli.run("attach", pid, wrongMethod.toString());
      assertThat(second.exitCode()).as(second.context("exit status for a method the JVM's class lacks"))
          .isEqualTo(1);
      assertThat(second.stderr()).as(second.context("the file's error, found on the JVM's class path"))
          .containsExactly(wrongMethod + ":3:13: no method prise(java.lang.String) on"
              + " dev.tieredcache.it.apps.SlowCatalog (did you mean 'price'?)");

      ForkedRun stats = cli.run("stats", pid);
      assertThat(stats.exitCode()).as(stats.context("stats of a JVM without the agent")).isEqualTo(3);
      assertThat(stats.stderr()).as(stats.context("stats' message")).containsExactly("tiered-cache is not running"
          + " in JVM " + pid + "; attach it first: java -jar tiered-cache-agent.jar attach " + pid + " rules.yaml");
      ForkedRun detach = cli.run("detach", pid);
      assertThat(detach.exitCode()).as(detach.context("detach of a JVM without the agent")).isEqualTo(3);
      assertThat(detach.stderr()).as(detach.context("detach's message"))
          .containsExactly("tiered-cache is not running in JVM " + pid + "; there is nothing to detach");

      long before = app.command("report").longResult("priceUpstream");
      LiveJvm.pause(300);
      assertThat(app.command("report").longResult("priceUpstream")).as(app.context("upstream calls go on"))
          .isGreaterThan(before);
      assertThat(app.snapshot().stderr()).as(app.context("the JVM's stderr: untouched by the refused attaches"))
          .isEmpty();

      ForkedRun attach = cli.run("attach", pid, rules.toString());
      assertThat(attach.exitCode()).as(attach.context("exit status of attach")).isZero();
      assertThat(attach.stdout()).as(attach.context("what attach printed"))
          .containsExactly("JVM " + pid + ": tiered-cache caches with the rules from " + rules);
      long atAttach = app.command("report").longResult("priceUpstream");
      LiveJvm.pause(500);
      assertThat(app.command("report").longResult("priceUpstream")).as(app.context("upstream calls after attach"))
          .isLessThanOrEqualTo(atAttach + 3);

      ForkedRun end = app.stop();
      assertThat(end.exitCode()).as(end.context("exit status of the app")).isZero();
      end.assertNoTransformationError();
      if (jdk.feature() >= 21) {
        assertThat(attach.stderr()).as(attach.context("the note on Java 21+ without -XX:+EnableDynamicAgentLoading"))
            .singleElement().asString().startsWith("note: JVM " + pid + " runs Java " + jdk.feature()
                + ", which prints a warning on its stderr").contains("JEP 451", "-XX:+EnableDynamicAgentLoading");
        assertThat(end.stderr()).as(end.context("the JVM's JEP 451 warning"))
            .anyMatch(line -> line.startsWith(JEP_451_WARNING));
      } else {
        assertThat(attach.stderr()).as(attach.context("attach's stderr on Java " + jdk.feature())).isEmpty();
        assertThat(end.stderr()).noneMatch(line -> line.contains(JEP_451_WARNING));
      }
    }
  }

  @OnEachJdk
  void aJvmStartedWithDynamicAgentLoadingDisabledIsReportedWithTheOptionToChange(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).withoutAgent().jvmOption("-XX:-EnableDynamicAgentLoading").rules(RULES);
    try (LiveJvm app = jvm.start(LiveCatalogApp.class)) {
      app.command("report");
      String pid = String.valueOf(app.pid());
      ForkedRun attach = AgentCli.on(jdk, dir).run("attach", pid, jvm.rulesFile().toString());
      assertThat(attach.exitCode()).as(attach.context("exit status")).isEqualTo(3);
      assertThat(attach.stderr()).as(attach.context("the message")).containsExactly(
          "JVM " + pid + " refuses agents loaded while it runs: it was started with -XX:-EnableDynamicAgentLoading.",
          "Restart it without that option, or with -XX:+EnableDynamicAgentLoading, to attach later; or start it"
              + " with the agent from the beginning: java -javaagent:" + AgentCli.jar() + "=" + jvm.rulesFile()
              + " ...");
      ForkedRun end = app.stop();
      assertThat(end.exitCode()).isZero();
      assertThat(end.stderr()).as(end.context("the JVM's stderr")).isEmpty();
    }
  }

  @OnEachJdk
  void listShowsAJvmStartedWithTheAgentAndStatsSaysWhyItHasNoMBeans(TestJdk jdk) {
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).rules("metrics:", "  jmx: false", "rules:", "  - name: price",
        "    method: " + PRICE_METHOD);
    AgentCli cli = AgentCli.on(jdk, dir);
    try (LiveJvm app = jvm.start(LiveCatalogApp.class)) {
      long pid = app.pid();
      app.command("report");
      ForkedRun list = cli.run("list");
      assertThat(list.exitCode()).as(list.context("exit status of list")).isZero();
      assertThat(list.stdout().get(0)).as(list.context("headings")).matches(" *PID +JAVA +MAIN +TIERED-CACHE");
      assertThat(list.stdout()).as(list.context("the JVM's row"))
          .anyMatch(line -> line.matches(" *" + pid + " +" + jdk.feature() + " +"
              + Pattern.quote(LiveCatalogApp.class.getName()) + " +" + Pattern.quote(jvm.rulesFile().toString())));
      ForkedRun stats = cli.run("stats", String.valueOf(pid));
      assertThat(stats.exitCode()).as(stats.context("exit status of stats")).isEqualTo(3);
      assertThat(stats.stderr()).as(stats.context("stats' message")).containsExactly("JVM " + pid + " runs"
          + " tiered-cache with the rules from " + jvm.rulesFile() + " but has no tiered-cache MBeans: the file sets"
          + " metrics.jmx: false (remove it and attach the file again), or the JVM refused them (its stderr says so)");
      assertThat(app.stop().exitCode()).isZero();
    }
  }

  /** Waits until the app's loop has called the upstream a few times: it runs, uncached. */
  private static void awaitUncachedCalls(LiveJvm app) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (app.command("report").longResult("priceUpstream") < 6) {
      assertThat(System.nanoTime() - deadline).as(app.context("upstream calls of the uncached loop")).isNegative();
      LiveJvm.pause(20);
    }
  }

  /** The row of {@code rule} in the table stats printed, by column heading. */
  static Map<String, Long> statsRow(ForkedRun stats, String rule) {
    List<String> lines = stats.stdout();
    String[] headings = null;
    for (String line : lines) {
      String[] cells = line.trim().split(" +");
      if (cells[0].equals("RULE")) {
        headings = cells;
      } else if (headings != null && cells[0].equals(rule)) {
        Map<String, Long> row = new LinkedHashMap<>();
        for (int i = 1; i < headings.length; i++) {
          // LOAD-AVG-MS has a decimal: rounded, like the counts it is compared with
          row.put(headings[i], cells[i].indexOf('.') >= 0 ? Math.round(Double.parseDouble(cells[i]))
              : Long.parseLong(cells[i]));
        }
        return row;
      }
    }
    throw new AssertionError("stats printed no row for rule " + rule + "\n" + stats.describe());
  }

  private Path write(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }
}
