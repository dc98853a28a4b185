package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: failed refreshes are not retried before error-backoff (doubling, capped at 5 minutes) has passed. */
class ErrorBackoffTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();

  @AfterEach
  void close() {
    fixture.close();
  }

  /** A rule without stale-while-revalidate: every stale call is within stale-if-error only. */
  private RuleCache foregroundRule(Duration errorBackoff) {
    return fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(Duration.ZERO)
        .staleIfError(Duration.ofDays(1)).errorBackoff(errorBackoff));
  }

  /**
   * With the upstream failing and the clock at a failure, checks that calls up to just before {@code backoff} are
   * served stale without an upstream call, and that the call at {@code backoff} tries (and fails) again.
   */
  private void expectNextAttemptAfter(CallSite site, Duration backoff) throws Throwable {
    int before = method.calls();
    fixture.clock.advance(backoff.minusMillis(1));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).as("no attempt within %s", backoff).isEqualTo(before);

    fixture.clock.advance(Duration.ofMillis(1));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).as("an attempt after %s", backoff).isEqualTo(before + 1);
  }

  @Test
  void afterAFailedRefreshNoUpstreamCallHappensWithinErrorBackoff() throws Throwable {
    RuleCache rule = foregroundRule(Duration.ofSeconds(5));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));

    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(2);
    for (int i = 0; i < 100; i++) {
      fixture.clock.advance(Duration.ofMillis(49));
      assertThat(site.call("k")).isEqualTo("v1");
    }
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().staleOnError()).isEqualTo(101);
  }

  @Test
  void backoffDoublesOnEveryFailureInARow() throws Throwable {
    RuleCache rule = foregroundRule(Duration.ofSeconds(5));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));
    assertThat(site.call("k")).isEqualTo("v1");

    for (long seconds : new long[] {5, 10, 20, 40, 80, 160}) {
      expectNextAttemptAfter(site, Duration.ofSeconds(seconds));
    }
    assertThat(rule.failedRefreshes("k")).isEqualTo(7);
  }

  @Test
  void backoffIsCappedAtFiveMinutes() throws Throwable {
    RuleCache rule = foregroundRule(Duration.ofMinutes(1));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));
    assertThat(site.call("k")).isEqualTo("v1");

    for (long minutes : new long[] {1, 2, 4, 5, 5, 5}) {
      expectNextAttemptAfter(site, Duration.ofMinutes(minutes));
    }
  }

  @Test
  void defaultBackoffReachesItsCapAfterSixFailuresAndStaysThere() throws Throwable {
    RuleCache rule = foregroundRule(Duration.ofSeconds(5));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));
    assertThat(site.call("k")).isEqualTo("v1");

    for (long seconds : new long[] {5, 10, 20, 40, 80, 160, 300, 300, 300}) {
      expectNextAttemptAfter(site, Duration.ofSeconds(seconds));
    }
  }

  @Test
  void aSuccessfulRefreshStartsTheBackoffOverAfterTheNextFailure() throws Throwable {
    RuleCache rule = foregroundRule(Duration.ofSeconds(5));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));
    site.call("k");
    expectNextAttemptAfter(site, Duration.ofSeconds(5));
    expectNextAttemptAfter(site, Duration.ofSeconds(10));

    fixture.clock.advance(Duration.ofSeconds(20));
    method.behave(numbered("v"));
    assertThat(site.call("k")).isEqualTo("v5");
    assertThat(rule.failedRefreshes("k")).isZero();

    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down again")));
    assertThat(site.call("k")).isEqualTo("v5");
    int calls = method.calls();
    fixture.clock.advance(Duration.ofSeconds(5));
    site.call("k");
    assertThat(method.calls()).isEqualTo(calls + 1);
  }

  @Test
  void aFailedBackgroundRefreshBacksOffToo() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(Duration.ofHours(1))
        .errorBackoff(Duration.ofSeconds(5)));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));

    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> rule.failedRefreshes("k") == 1);
    fixture.clock.advance(Duration.ofMillis(4_999));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(2);

    fixture.clock.advance(Duration.ofMillis(1));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> rule.failedRefreshes("k") == 2);
    assertThat(method.calls()).isEqualTo(3);
    fixture.clock.advance(Duration.ofMillis(9_999));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(3);
  }

  @Test
  void aCallerArrivingAsTheRefreshFailsIsServedStaleWithoutASecondAttempt() throws Throwable {
    RuleCache rule = foregroundRule(Duration.ofSeconds(5));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    Load load = (Load) rule.begin("k", site::call, null, "k");
    AtomicReference<Object> arriving = new AtomicReference<>();
    // runs on this thread the moment the failed refresh hands its outcome to waiters: a caller arriving then
    load.flight.whenComplete((v, t) -> arriving.set(rule.begin("k", site::call, null, "k")));

    assertThat(rule.complete(load, null, new IllegalStateException("down"))).isEqualTo("v1");

    assertThat(arriving.get()).isEqualTo("v1");
  }

  @Test
  void aThousandCallsInOneSecondAgainstAFailingUpstreamAllGetTheStaleValueForegroundCase() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(Duration.ZERO));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));

    for (int i = 0; i < 1_000; i++) {
      assertThat(site.call("k")).isEqualTo("v1");
      fixture.clock.advance(Duration.ofMillis(1));
    }

    assertThat(method.calls() - 1).isBetween(1, 3);
  }

  @Test
  void aThousandCallsInOneSecondAgainstAFailingUpstreamAllGetTheStaleValueBackgroundCase() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(throwing(new IllegalStateException("down")));

    for (int i = 0; i < 1_000; i++) {
      assertThat(site.call("k")).isEqualTo("v1");
      fixture.clock.advance(Duration.ofMillis(1));
    }

    eventually().until(() -> rule.failedRefreshes("k") >= 1);
    assertThat(method.calls() - 1).isBetween(1, 3);
  }
}
