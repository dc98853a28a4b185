package dev.tieredcache.agent.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text exposition format, version 0.0.4, as Prometheus parses it. */
class TextExpositionTest {

  @Test
  void aFamilyHasHelpAndTypeLinesThenItsSamples() {
    String text = new TextExposition().family("tiered_cache_misses_total", "counter", "Calls that missed.")
        .sample("tiered_cache_misses_total", 3, "rule", "price")
        .sample("tiered_cache_misses_total", 0, "rule", "stock").text();

    assertThat(text).isEqualTo("# HELP tiered_cache_misses_total Calls that missed.\n"
        + "# TYPE tiered_cache_misses_total counter\n"
        + "tiered_cache_misses_total{rule=\"price\"} 3\n"
        + "tiered_cache_misses_total{rule=\"stock\"} 0\n");
  }

  @Test
  void aSampleWithoutLabelsHasNoBraces() {
    assertThat(new TextExposition().sample("tiered_cache_circuit_open", 1).text())
        .isEqualTo("tiered_cache_circuit_open 1\n");
  }

  @Test
  void labelValuesEscapeBackslashQuoteAndLineFeed() {
    String text = new TextExposition().sample("m", 1, "rule", "a\\b\"c\nd").text();

    assertThat(text).isEqualTo("m{rule=\"a\\\\b\\\"c\\nd\"} 1\n");
  }

  @Test
  void helpEscapesBackslashAndLineFeedButNotQuotes() {
    String text = new TextExposition().family("m", "gauge", "a \"b\" c\\d\ne").text();

    assertThat(text).startsWith("# HELP m a \"b\" c\\\\d\\ne\n");
  }

  @Test
  void secondsAreWrittenInPlainDecimalExactToTheNanosecond() {
    assertThat(TextExposition.seconds(Duration.ofNanos(2_500_000))).isEqualTo("0.0025");
    assertThat(TextExposition.seconds(Duration.ofSeconds(10))).isEqualTo("10");
    assertThat(TextExposition.seconds(Duration.ofMillis(2_500))).isEqualTo("2.5");
    assertThat(TextExposition.seconds(Duration.ofNanos(1))).isEqualTo("0.000000001");
    assertThat(TextExposition.seconds(Duration.ZERO)).isEqualTo("0");
  }

  @Test
  void aHistogramHasCumulativeBucketsEndingInInfThenSumAndCount() {
    List<Duration> bounds = List.of(Duration.ofMillis(10), Duration.ofMillis(100));
    String text = new TextExposition()
        .histogram("d_seconds", bounds, new long[] {2, 5, 6}, Duration.ofMillis(1_234), "rule", "price").text();

    assertThat(text).isEqualTo("d_seconds_bucket{rule=\"price\",le=\"0.01\"} 2\n"
        + "d_seconds_bucket{rule=\"price\",le=\"0.1\"} 5\n"
        + "d_seconds_bucket{rule=\"price\",le=\"+Inf\"} 6\n"
        + "d_seconds_sum{rule=\"price\"} 1.234\n"
        + "d_seconds_count{rule=\"price\"} 6\n");
  }

  @Test
  void aHistogramNeedsACountPerBoundAndOneForAll() {
    assertThatThrownBy(() -> new TextExposition().histogram("d", List.of(Duration.ofMillis(1)), new long[] {1},
        Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
