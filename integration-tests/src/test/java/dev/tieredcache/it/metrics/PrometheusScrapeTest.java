package dev.tieredcache.it.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.AgentCli;
import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.LiveJvm;
import dev.tieredcache.it.OnEachJdk;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.metricsapps.MeteredCatalogApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A forked JVM with the agent jar makes a known sequence of calls; its Prometheus endpoint, its rule MBean and
 * {@code stats <pid>} then report exactly those counts, under the documented names. With memory and Redis, values
 * another JVM loaded count as hits of tier redis.
 */
class PrometheusScrapeTest {

  private static final String PRICE = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";
  private static final String UPDATE = "dev.tieredcache.it.metricsapps.PriceUpdates#update(java.lang.String)";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final long LATENCY_MS = 30;

  @TempDir
  java.nio.file.Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @OnEachJdk
  void scrapeJmxAndStatsReportExactlyTheCallsMadeAndDetachFreesThePort(TestJdk jdk) throws Exception {
    int port = freePort();
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).jvmOption("-XX:+EnableDynamicAgentLoading").rules(
        "metrics: {prometheus: " + port + "}",
        "rules:",
        "  - name: price",
        "    method: " + PRICE,
        "    key: \"{0}\"",
        "    ttl: 10m",
        "  - name: price-update",
        "    method: " + UPDATE,
        "    evict: {rule: price, key: \"{0}\"}");
    try (LiveJvm app = jvm.start(MeteredCatalogApp.class)) {
      app.command("latency " + LATENCY_MS);
      for (String sku : List.of("a", "b", "c")) {
        app.command("price " + sku + " 1");
      }
      app.command("price a 7");
      app.command("down true").command("price d 1");
      assertThat(app.longResult("failed")).as(app.context("the failing load threw to the caller")).isEqualTo(1);
      app.command("down false").command("update a").command("price a 1");
      assertThat(app.longResult("priceUpstream")).as(app.context("upstream calls: a, b, c, d, a again"))
          .isEqualTo(5);

      HttpResponse<String> scrape = get(port);
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type")).contains(CONTENT_TYPE);
      Map<String, String> page = samples(scrape.body());
      assertThat(page).as(scrape.body())
          .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"memory\"}", "7")
          .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"stale\",tier=\"memory\"}", "0")
          .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"redis\"}", "0")
          .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"stale\",tier=\"redis\"}", "0")
          .containsEntry("tiered_cache_misses_total{rule=\"price\"}", "5")
          .containsEntry("tiered_cache_loads_total{rule=\"price\",result=\"success\"}", "4")
          .containsEntry("tiered_cache_loads_total{rule=\"price\",result=\"failure\"}", "1")
          .containsEntry("tiered_cache_load_duration_seconds_count{rule=\"price\"}", "5")
          .containsEntry("tiered_cache_load_duration_seconds_bucket{rule=\"price\",le=\"+Inf\"}", "5")
          // every load slept 30 ms: none is in the buckets up to 25 ms
          .containsEntry("tiered_cache_load_duration_seconds_bucket{rule=\"price\",le=\"0.025\"}", "0")
          .containsEntry("tiered_cache_stale_on_error_total{rule=\"price\"}", "0")
          .containsEntry("tiered_cache_coalesced_total{rule=\"price\"}", "0")
          .containsEntry("tiered_cache_refreshes_total{rule=\"price\"}", "0")
          .containsEntry("tiered_cache_evictions_total{rule=\"price\"}", "1")
          .containsEntry("tiered_cache_entries{rule=\"price\"}", "3")
          .containsEntry("tiered_cache_redis_errors_total", "0")
          .containsEntry("tiered_cache_circuit_open", "0")
          .containsEntry("tiered_cache_backplane_messages_total{direction=\"in\"}", "0")
          .containsEntry("tiered_cache_backplane_messages_total{direction=\"out\"}", "0");
      double loadSeconds = Double.parseDouble(page.get("tiered_cache_load_duration_seconds_sum{rule=\"price\"}"));
      assertThat(loadSeconds).as("five loads of at least 30 ms").isGreaterThanOrEqualTo(5 * LATENCY_MS / 1000.0);
      assertThat(page.keySet()).as("no sample of the evict rule, no key or instance label")
          .noneMatch(s -> s.contains("price-update") || s.contains("key=") || s.contains("instance"));

      app.command("jmx price");
      Map<String, Long> jmx = Map.of("FreshHits", 7L, "StaleHits", 0L, "Misses", 5L, "Loads", 5L,
          "LoadErrors", 1L, "LoadSuccesses", 4L, "Evictions", 1L, "MemoryEntries", 3L, "RedisFreshHits", 0L,
          "CoalescedWaits", 0L);
      jmx.forEach((attribute, expected) -> assertThat(app.longResult("jmx." + attribute))
          .as(app.context("JMX " + attribute)).isEqualTo(expected));
      assertThat(app.result("jmx.LoadDurationBuckets")).as(app.context("JMX buckets: cumulative, 5 in the last"))
          .endsWith(", 5]");
      assertThat(Double.parseDouble(app.result("jmx.LoadSeconds"))).isEqualTo(loadSeconds);

      ForkedRun stats = AgentCli.on(jdk, dir).run("stats", String.valueOf(app.pid()));
      assertThat(stats.exitCode()).as(stats.context("exit status of stats")).isZero();
      Map<String, String> row = statsRow(stats, "price");
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("HITS-FRESH", "7");
      expected.put("HITS-STALE", "0");
      expected.put("MISSES", "5");
      expected.put("LOADS", "5");
      expected.put("LOAD-ERRORS", "1");
      expected.put("EVICTIONS", "1");
      expected.put("ENTRIES", "3");
      expected.put("LOADS-OK", "4");
      expected.forEach((column, value) -> assertThat(row.get(column)).as(stats.context(column)).isEqualTo(value));
      assertThat(Double.parseDouble(row.get("LOAD-AVG-MS"))).as(stats.context("LOAD-AVG-MS"))
          .isGreaterThanOrEqualTo(LATENCY_MS);

      app.command("threads");
      assertThat(app.result("agentThreads")).as(app.context("the endpoint's thread")).contains("tiered-cache-prometheus");
      ForkedRun detach = AgentCli.on(jdk, dir).run("detach", String.valueOf(app.pid()));
      assertThat(detach.exitCode()).as(detach.context("exit status of detach")).isZero();
      app.command("threads");
      assertThat(app.result("agentThreads")).as(app.context("threads after detach"))
          .doesNotContain("tiered-cache-prometheus");
      assertThat(refused(port)).as("the port after detach: nobody listens").isTrue();

      ForkedRun end = app.stop();
      assertThat(end.exitCode()).isZero();
      end.assertNoTransformationError();
      assertThat(end.agentLines("WARN")).as(end.context("the agent's warnings")).isEmpty();
      assertThat(end.agentLines("ERROR")).as(end.context("the agent's errors")).isEmpty();
    }
  }

  @Test
  void valuesAnotherJvmLoadedCountAsHitsOfTierRedis() throws Exception {
    TestJdk jdk = TestJdk.all().findFirst().orElseThrow();
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      int port = freePort();
      String[] rules = {
        "namespace: shop",
        "redis: {url: " + redis.url() + ", timeout: 500ms}",
        "metrics: {prometheus: \"127.0.0.1:" + port + "\"}",
        "rules:",
        "  - name: price",
        "    method: " + PRICE,
        "    key: \"{0}\"",
        "    ttl: 10m",
        "    tiers: [memory, redis]",
      };
      try (LiveJvm loading = ForkedJvm.on(jdk, dir).rules(rules).start(MeteredCatalogApp.class)) {
        for (String sku : List.of("a", "b", "c")) {
          loading.command("price " + sku + " 1");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!List.of("shop:price:a", "shop:price:b", "shop:price:c").stream().allMatch(jedis::exists)) {
          assertThat(System.nanoTime() - deadline).as("the loads reach Redis").isNegative();
          LiveJvm.pause(20);
        }
        Map<String, String> first = samples(get(port).body());
        assertThat(first).containsEntry("tiered_cache_misses_total{rule=\"price\"}", "3")
            .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"redis\"}", "0");
        assertThat(loading.stop().exitCode()).isZero();
      }

      try (LiveJvm reading = ForkedJvm.on(jdk, dir).rules(rules).start(MeteredCatalogApp.class)) {
        for (String sku : List.of("a", "b", "c")) {
          reading.command("price " + sku + " 1");
        }
        reading.command("price a 7");
        assertThat(reading.longResult("priceUpstream")).as(reading.context("no upstream call")).isZero();

        Map<String, String> page = samples(get(port).body());
        assertThat(page)
            .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"redis\"}", "3")
            .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"memory\"}", "7")
            .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"stale\",tier=\"redis\"}", "0")
            .containsEntry("tiered_cache_misses_total{rule=\"price\"}", "0")
            .containsEntry("tiered_cache_loads_total{rule=\"price\",result=\"success\"}", "0")
            .containsEntry("tiered_cache_entries{rule=\"price\"}", "3")
            .containsEntry("tiered_cache_redis_errors_total", "0")
            .containsEntry("tiered_cache_circuit_open", "0");
        reading.command("jmx price");
        assertThat(reading.longResult("jmx.RedisFreshHits")).isEqualTo(3);
        assertThat(reading.longResult("jmx.RedisHits")).isEqualTo(3);
        assertThat(reading.longResult("jmx.FreshHits")).isEqualTo(10);
        ForkedRun end = reading.stop();
        assertThat(end.exitCode()).isZero();
        assertThat(end.agentLines("ERROR")).as(end.context("the agent's errors")).isEmpty();
      }
    }
  }

  @Test
  void replacedRulesMoveTheEndpointToTheirPortAndRulesWithoutTheSettingStopIt() throws Exception {
    TestJdk jdk = TestJdk.all().findFirst().orElseThrow();
    int first = freePort();
    int second = freePort();
    String[] rule = {"rules:", "  - name: price", "    method: " + PRICE, "    key: \"{0}\""};
    ForkedJvm jvm = ForkedJvm.on(jdk, dir).jvmOption("-XX:+EnableDynamicAgentLoading")
        .rules(withMetrics("metrics: {prometheus: " + first + "}", rule));
    java.nio.file.Path moved = jvm.writeRules("moved.yaml", withMetrics("metrics: {prometheus: " + second + "}", rule));
    java.nio.file.Path without = jvm.writeRules("without.yaml", rule);
    AgentCli cli = AgentCli.on(jdk, dir);
    try (LiveJvm app = jvm.start(MeteredCatalogApp.class)) {
      app.command("price a 3");

      ForkedRun attach = cli.run("attach", String.valueOf(app.pid()), moved.toString());
      assertThat(attach.exitCode()).as(attach.context("exit status of attach")).isZero();
      assertThat(refused(first)).as("the first port after the rules moved the endpoint").isTrue();
      assertThat(samples(get(second).body())).as("the kept rule keeps its counters on the new port")
          .containsEntry("tiered_cache_misses_total{rule=\"price\"}", "1")
          .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"memory\"}", "2");

      ForkedRun again = cli.run("attach", String.valueOf(app.pid()), without.toString());
      assertThat(again.exitCode()).as(again.context("exit status of the second attach")).isZero();
      assertThat(refused(second)).as("the port after rules without metrics.prometheus").isTrue();
      app.command("threads");
      assertThat(app.result("agentThreads")).doesNotContain("tiered-cache-prometheus");
      ForkedRun end = app.stop();
      assertThat(end.exitCode()).isZero();
      assertThat(end.agentLines("WARN")).as(end.context("the agent's warnings")).isEmpty();
    }
  }

  private static String[] withMetrics(String metrics, String... rule) {
    String[] lines = new String[rule.length + 1];
    lines[0] = metrics;
    System.arraycopy(rule, 0, lines, 1, rule.length);
    return lines;
  }

  @OnEachJdk
  void aPortInUseGetsOneWarningNamingTheSettingAndCachingGoesOn(TestJdk jdk) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ForkedJvm jvm = ForkedJvm.on(jdk, dir).rules("metrics: {prometheus: " + port + "}", "rules:",
          "  - name: price", "    method: " + PRICE);
      try (LiveJvm app = jvm.start(MeteredCatalogApp.class)) {
        app.command("price a 5");
        assertThat(app.longResult("priceUpstream")).as(app.context("cached all the same")).isEqualTo(1);
        app.command("threads");
        assertThat(app.result("agentThreads")).doesNotContain("tiered-cache-prometheus");
        ForkedRun end = app.stop();
        assertThat(end.agentLines("WARN")).as(end.context("the warning")).singleElement().asString()
            .contains("metrics.prometheus: cannot serve /metrics on 127.0.0.1:" + port)
            .contains("set metrics.prometheus to a free port");
        assertThat(end.exitCode()).isZero();
      }
    }
  }

  private HttpResponse<String> get(int port) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private boolean refused(int port) throws InterruptedException {
    try {
      get(port);
      return false;
    } catch (ConnectException expected) {
      return true;
    } catch (IOException other) {
      return false;
    }
  }

  /** The samples of a scraped page: name with labels as written, to value. */
  private static Map<String, String> samples(String body) {
    Map<String, String> samples = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int space = line.lastIndexOf(' ');
        assertThat(samples.put(line.substring(0, space), line.substring(space + 1))).as("written once: " + line)
            .isNull();
      }
    }
    return samples;
  }

  /** The row of {@code rule} in the table stats printed, by column heading. */
  private static Map<String, String> statsRow(ForkedRun stats, String rule) {
    String[] headings = null;
    for (String line : stats.stdout()) {
      String[] cells = line.trim().split(" +");
      if (cells[0].equals("RULE")) {
        headings = cells;
      } else if (headings != null && cells[0].equals(rule)) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i < headings.length; i++) {
          row.put(headings[i], cells[i]);
        }
        return row;
      }
    }
    throw new AssertionError("stats printed no row for rule " + rule + "\n" + stats.describe());
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return probe.getLocalPort();
    }
  }
}
