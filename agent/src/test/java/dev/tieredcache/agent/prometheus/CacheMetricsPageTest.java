package dev.tieredcache.agent.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.Upstream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code /metrics} page of a runtime shows exactly what its rules counted, under the documented names. */
class CacheMetricsPageTest {

  private final TieredCache cache = TieredCache.builder().build();
  private final RuleCache price = cache.addRule(RulePolicy.builder().name("price").ttl(Duration.ofMinutes(5))
      .tiers(List.of(RulePolicy.TierKind.MEMORY)).build());
  private static final Upstream METHOD = (receiver, arguments) -> "v";

  @AfterEach
  void close() {
    cache.close();
  }

  @Test
  void missesHitsAndFailedLoadsShowUnderTheirNames() throws Throwable {
    for (String key : List.of("a", "b", "c")) {
      call(key, null);
    }
    for (int i = 0; i < 7; i++) {
      call("a", null);
    }
    call("d", new IllegalStateException("down"));
    price.evict("a");

    Map<String, String> page = ScrapedPage.parse(CacheMetricsPage.of(cache));

    assertThat(page).containsEntry("tiered_cache_misses_total{rule=\"price\"}", "4")
        .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"memory\"}", "7")
        .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"stale\",tier=\"memory\"}", "0")
        .containsEntry("tiered_cache_hits_total{rule=\"price\",state=\"fresh\",tier=\"redis\"}", "0")
        .containsEntry("tiered_cache_loads_total{rule=\"price\",result=\"success\"}", "3")
        .containsEntry("tiered_cache_loads_total{rule=\"price\",result=\"failure\"}", "1")
        .containsEntry("tiered_cache_load_duration_seconds_count{rule=\"price\"}", "4")
        .containsEntry("tiered_cache_load_duration_seconds_bucket{rule=\"price\",le=\"+Inf\"}", "4")
        .containsEntry("tiered_cache_evictions_total{rule=\"price\"}", "1")
        .containsEntry("tiered_cache_entries{rule=\"price\"}", "2")
        .containsEntry("tiered_cache_stale_on_error_total{rule=\"price\"}", "0")
        .containsEntry("tiered_cache_coalesced_total{rule=\"price\"}", "0")
        .containsEntry("tiered_cache_redis_errors_total", "0")
        .containsEntry("tiered_cache_circuit_open", "0")
        .containsEntry("tiered_cache_backplane_messages_total{direction=\"in\"}", "0")
        .containsEntry("tiered_cache_backplane_messages_total{direction=\"out\"}", "0");
  }

  @Test
  void tagEvictionsAreCounted() {
    cache.evictTag("category:7");
    cache.evictTag("category:8");

    Map<String, String> page = ScrapedPage.parse(CacheMetricsPage.of(cache));

    assertThat(page).containsEntry("tiered_cache_tag_evictions_total{origin=\"local\"}", "2")
        .containsEntry("tiered_cache_tag_evictions_total{origin=\"remote\"}", "0");
  }

  @Test
  void everyFamilyHasHelpAndTypeAndCountersEndInTotal() {
    String text = CacheMetricsPage.of(cache);

    List<String> types = text.lines().filter(l -> l.startsWith("# TYPE ")).collect(java.util.stream.Collectors.toList());
    assertThat(types).containsExactly(
        "# TYPE tiered_cache_hits_total counter",
        "# TYPE tiered_cache_misses_total counter",
        "# TYPE tiered_cache_loads_total counter",
        "# TYPE tiered_cache_load_duration_seconds histogram",
        "# TYPE tiered_cache_stale_on_error_total counter",
        "# TYPE tiered_cache_coalesced_total counter",
        "# TYPE tiered_cache_refreshes_total counter",
        "# TYPE tiered_cache_evictions_total counter",
        "# TYPE tiered_cache_entries gauge",
        "# TYPE tiered_cache_redis_errors_total counter",
        "# TYPE tiered_cache_circuit_open gauge",
        "# TYPE tiered_cache_backplane_messages_total counter",
        "# TYPE tiered_cache_tag_evictions_total counter");
    assertThat(text.lines().filter(l -> l.startsWith("# HELP ")).count()).isEqualTo(types.size());
    assertThat(text).doesNotContain("instance=").doesNotContain("key=").doesNotContain("instance_id");
  }

  @Test
  void histogramBucketsAreCumulativeUpToTheCount() throws Throwable {
    call("a", null);
    call("b", null);

    Map<String, String> page = ScrapedPage.parse(CacheMetricsPage.of(cache));
    long previous = 0;
    for (Duration bound : dev.tieredcache.runtime.LoadDurations.BOUNDS) {
      long count = Long.parseLong(page.get("tiered_cache_load_duration_seconds_bucket{rule=\"price\",le=\""
          + TextExposition.seconds(bound) + "\"}"));
      assertThat(count).isGreaterThanOrEqualTo(previous);
      previous = count;
    }
    assertThat(page.get("tiered_cache_load_duration_seconds_bucket{rule=\"price\",le=\"+Inf\"}")).isEqualTo("2");
    assertThat(Double.parseDouble(page.get("tiered_cache_load_duration_seconds_sum{rule=\"price\"}")))
        .isGreaterThanOrEqualTo(0.0);
  }

  /** One call of the rule's method for {@code key} that returns "v", or throws {@code failure}. */
  private void call(String key, Throwable failure) throws Throwable {
    Object begun = price.begin(key, METHOD, null, key);
    if (begun instanceof Load) {
      price.complete((Load) begun, failure == null ? "v" : null, failure);
    }
  }
}
