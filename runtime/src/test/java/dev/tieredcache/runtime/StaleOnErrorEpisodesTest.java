package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fail-safe's start and end are logged once per episode, and an upstream that flaps (a load timing out, the next
 * one fine, again and again) does not write a pair of lines per flap: episodes that start within
 * {@link RuleCache#STALE_EPISODE_LOG_INTERVAL_MS} of the last logged start are counted, not logged.
 */
class StaleOnErrorEpisodesTest {

  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Duration SWR = Duration.ofSeconds(1);
  private static final Duration BACKOFF = Duration.ofMillis(100);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(SWR)
      .staleIfError(Duration.ofHours(1)).errorBackoff(BACKOFF));
  private final CallSite site = new CallSite(rule, method);

  @AfterEach
  void close() {
    fixture.close();
  }

  /** The value turns stale past stale-while-revalidate, its refresh fails: the caller gets the stale value. */
  private void upstreamFails() throws Throwable {
    fixture.clock.advance(TTL.plus(SWR));
    method.behave(throwing(new IllegalStateException("down")));
    Object stale = rule.peek("k").value();
    assertThat(site.call("k")).isEqualTo(stale);
  }

  /** Past the backoff, the next call refreshes and the upstream answers. */
  private void upstreamAnswers() throws Throwable {
    fixture.clock.advance(BACKOFF.multipliedBy(2));
    method.behave(numbered("v"));
    site.call("k");
    assertThat(rule.metrics().servingStaleOnError.get()).isEqualTo(RuleMetrics.NOT_SERVING_STALE);
  }

  @Test
  void aFailureThenARecoveryIsOneLoggedEpisode() throws Throwable {
    site.call("k");
    upstreamFails();
    assertThat(rule.metrics().servingStaleOnError.get()).isEqualTo(RuleMetrics.SERVING_STALE_LOGGED);
    assertThat(site.call("k")).as("a second stale call in the same episode").isNotNull();
    assertThat(rule.metrics().servingStaleOnError.get()).isEqualTo(RuleMetrics.SERVING_STALE_LOGGED);

    upstreamAnswers();
    assertThat(rule.metrics().quietStaleEpisodes.get()).isZero();
  }

  @Test
  void episodesThatFollowALoggedOneCloselyAreCountedNotLogged() throws Throwable {
    site.call("k");
    upstreamFails();
    upstreamAnswers();

    upstreamFails();
    assertThat(rule.metrics().servingStaleOnError.get()).as("within 10 s of the logged start")
        .isEqualTo(RuleMetrics.SERVING_STALE_QUIETLY);
    upstreamAnswers();
    upstreamFails();
    upstreamAnswers();
    assertThat(rule.metrics().quietStaleEpisodes.get()).isEqualTo(2);

    fixture.clock.advance(Duration.ofMillis(RuleCache.STALE_EPISODE_LOG_INTERVAL_MS));
    upstreamFails();
    assertThat(rule.metrics().servingStaleOnError.get()).as("10 s later: logged again, with the count")
        .isEqualTo(RuleMetrics.SERVING_STALE_LOGGED);
    assertThat(rule.metrics().quietStaleEpisodes.get()).as("reported in that line, so reset").isZero();
    assertThat(rule.metrics().staleOnError()).as("every stale call is still counted").isEqualTo(4);
  }
}
