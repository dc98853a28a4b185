package dev.tieredcache.it.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.LiveJvm;
import dev.tieredcache.it.TestJdk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics.micrometer: true} in the Spring Boot fat jar of {@link SpringAppScenario}, whose Micrometer sits in
 * nested jars that only Spring Boot's own class loader reads: after the app's scenario and two HTTP requests of the
 * test, the actuator shows the rules' exact counts under the standard cache meter names, beside the app's own
 * {@code @Cacheable} meters, and its Prometheus registry (which refuses a name with two sets of tag keys) takes both.
 */
class SpringMicrometerMetersTest {

  private static final Pattern COUNT = Pattern.compile("\"statistic\":\"(?:COUNT|VALUE)\",\"value\":([0-9.E-]+)");

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private String base;

  @Test
  void rulesCountsAppearInTheActuatorUnderTheStandardCacheMetersBesideTheAppsOwn() throws Exception {
    ForkedJvm jvm = SpringAppScenario.prepare(ForkedJvm.on(TestJdk.testJvm(), dir),
        // a long ttl: every hit below is fresh however slow this machine is
        List.of("metrics: {micrometer: true}", "defaults: {ttl: 10m}"));
    ForkedRun run;
    try (LiveJvm app = SpringAppScenario.start(jvm)) {
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
          .until(() -> app.snapshot().hasResult("serving") || !isAlive(app));
      ForkedRun scenario = app.snapshot();
      assertThat(scenario.hasResult("serving")).as(scenario.context("the app serving after its scenario")).isTrue();
      SpringAppScenario.assertCachedEvictedAndAppUnchanged(scenario);
      base = "http://127.0.0.1:" + app.result("serving");

      // the scenario: describe p1 (miss; its load finds p1: a product miss), describe p1 (hit); product: p1 (hit),
      // p2 (miss), p2 (hit), save p2 (evict), p2 (miss), p2 (hit), category p1 (a hit in its @Cacheable load); and
      // saves of p1 and p2 before (two evictions); save p3 (an eviction), findAllById p3, p1, nope, p2 (two hits, two
      // misses loaded in one call), findAllById p2, p3, nope (three hits), p3 (hit), nope (a cached absence: a hit).
      // Then the test: describe p2 (miss; its load finds p2: a hit), again
      assertThat(get("/products/p2")).isEqualTo("stoneware teapot (kitchen)");
      assertThat(get("/products/p2")).isEqualTo("stoneware teapot (kitchen)");

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> status("/actuator/metrics/cache.gets?tag=cache:describe&tag=result:hit") == 200);
      assertThat(meter("cache.gets", "cache:describe", "result:hit")).isEqualTo(2);
      assertThat(meter("cache.gets", "cache:describe", "result:miss")).isEqualTo(2);
      assertThat(meter("cache.puts", "cache:describe")).isEqualTo(2);
      assertThat(meter("cache.gets", "cache:product", "result:hit")).isEqualTo(12);
      assertThat(meter("cache.gets", "cache:product", "result:miss")).isEqualTo(5);
      assertThat(meter("cache.puts", "cache:product")).isEqualTo(5);
      assertThat(meter("cache.evictions", "cache:product")).isEqualTo(4);
      assertThat(meter("cache.size", "cache:product")).isEqualTo(4);
      assertThat(meter("tiered.cache.loads", "cache:product", "result:success")).isEqualTo(5);
      assertThat(meter("tiered.cache.loads", "cache:product", "result:failure")).isZero();
      assertThat(meter("tiered.cache.hits", "cache:product", "state:fresh")).isEqualTo(12);
      assertThat(meter("cache.gets", "cache.manager:tiered-cache")).as("every rule's gets").isEqualTo(21);

      // the app's own @Cacheable("categories") on Caffeine, bound by Spring Boot: one miss, then two hits
      assertThat(meter("cache.gets", "cache:categories", "result:hit")).isEqualTo(2);
      assertThat(meter("cache.gets", "cache:categories", "result:miss")).isEqualTo(1);

      String prometheus = get("/actuator/prometheus");
      assertThat(prometheus.lines())
          .as("cache_gets_total of the app's cache and of a rule in one Prometheus registry")
          .anyMatch(line -> line.startsWith("cache_gets_total{") && line.contains("cache=\"categories\"")
              && line.contains("cache_manager=\"cacheManager\"") && line.contains("result=\"hit\"")
              && line.endsWith(" 2.0"))
          .anyMatch(line -> line.startsWith("cache_gets_total{") && line.contains("cache=\"product\"")
              && line.contains("cache_manager=\"tiered-cache\"") && line.contains("result=\"hit\"")
              && line.endsWith(" 12.0"))
          .anyMatch(line -> line.startsWith("tiered_cache_loads_total{") && line.contains("cache=\"product\"")
              && line.contains("result=\"success\"") && line.endsWith(" 5.0"));
      run = app.stop();
    }
    run.assertHealthyAgent();
    assertThat(run.agentLines("INFO")).as(run.context("the agent's registration"))
        .anyMatch(line -> line.contains("metrics.micrometer: 32 meters of 2 rules registered in the Micrometer global"
            + " registry of org.springframework.boot.loader"));
    assertThat(run.stderr()).as(run.context("warnings about Micrometer"))
        .noneMatch(line -> line.contains("WARN") && line.toLowerCase(Locale.ROOT).contains("micrometer"));
  }

  private static boolean isAlive(LiveJvm app) {
    return app.snapshot().exitCode() == -1;
  }

  /** The value of a meter of the actuator's metrics endpoint, tags as {@code key:value}. */
  private double meter(String name, String... tags) throws IOException, InterruptedException {
    StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
    for (int i = 0; i < tags.length; i++) {
      path.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
    }
    String body = get(path.toString());
    Matcher m = COUNT.matcher(body);
    assertThat(m.find()).as("a value in " + body).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  private int status(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
