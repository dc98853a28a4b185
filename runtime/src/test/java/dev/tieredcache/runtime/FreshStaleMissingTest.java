package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.ScriptedUpstream.returning;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: fresh until W+T+J, stale until W+T+J+max(swr, sie), then missing; what each state does to a call. */
class FreshStaleMissingTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration SWR = Duration.ofSeconds(20);
  private static final Duration SIE = Duration.ofSeconds(30);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).staleWhileRevalidate(SWR)
      .staleIfError(SIE));
  private final CallSite site = new CallSite(rule, method);

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void freshHitDoesNotCallTheUpstream() throws Throwable {
    assertThat(site.call("k")).isEqualTo("v1");
    fixture.clock.advance(TTL.minusMillis(1));

    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.metrics().freshHits()).isEqualTo(2);
  }

  @Test
  void freshHitServesTheSameInstanceThatWasLoaded() throws Throwable {
    Object loaded = new Object();
    method.behave(returning(loaded));

    assertThat(site.call("k")).isSameAs(loaded);
    assertThat(site.call("k")).isSameAs(loaded);
  }

  @Test
  void entryTimesFollowTtlAndTheLongerStaleWindow() throws Throwable {
    long written = fixture.clock.millis();
    site.call("k");

    CacheEntry entry = rule.peek("k");
    assertThat(entry.writtenAt()).isEqualTo(written);
    assertThat(entry.freshUntil()).isEqualTo(written + TTL.toMillis());
    assertThat(entry.staleUntil()).isEqualTo(written + TTL.toMillis() + SIE.toMillis());
  }

  @Test
  void staleWindowIsStaleWhileRevalidateWhenThatIsLonger() throws Throwable {
    RuleCache longSwr = fixture.rule(CacheFixture.policy().name("long-swr").ttl(TTL)
        .staleWhileRevalidate(Duration.ofSeconds(50)).staleIfError(Duration.ofSeconds(5)));
    long written = fixture.clock.millis();
    new CallSite(longSwr, method).call("k");

    assertThat(longSwr.peek("k").staleUntil()).isEqualTo(written + TTL.toMillis() + 50_000);
  }

  @Test
  void stateIsFreshThenStaleThenMissingAtTheExactBoundaries() throws Throwable {
    long w = fixture.clock.millis();
    site.call("k");
    CacheEntry entry = rule.peek("k");
    long freshUntil = w + TTL.toMillis();
    long staleUntil = freshUntil + SIE.toMillis();

    assertThat(entry.state(w)).isEqualTo(EntryState.FRESH);
    assertThat(entry.state(freshUntil - 1)).isEqualTo(EntryState.FRESH);
    assertThat(entry.state(freshUntil)).isEqualTo(EntryState.STALE);
    assertThat(entry.state(staleUntil - 1)).isEqualTo(EntryState.STALE);
    assertThat(entry.state(staleUntil)).isEqualTo(EntryState.MISSING);
  }

  @Test
  void callJustBeforeFreshUntilIsAFreshHitAndAtFreshUntilAStaleHit() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.minusMillis(1));
    site.call("k");
    assertThat(rule.metrics().freshHits()).isEqualTo(1);
    assertThat(rule.metrics().staleHits()).isZero();

    fixture.clock.advance(Duration.ofMillis(1));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(rule.metrics().staleHits()).isEqualTo(1);
  }

  @Test
  void callJustBeforeTheStaleLimitServesTheStaleValueWhenTheRefreshFails() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.plus(SIE).minusMillis(1));
    method.behave(throwing(new IllegalStateException("down")));

    assertThat(site.call("k")).isEqualTo("v1");
  }

  @Test
  void atTheStaleLimitTheValueIsMissingAndTheCallerLoadsOnItsOwnThread() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.plus(SIE));

    assertThat(rule.peek("k")).isNull();
    Object answer = rule.begin("k", null, null, "k");
    assertThat(answer).isInstanceOf(Load.class);
    assertThat(((Load) answer).key()).isEqualTo("k");
    rule.complete((Load) answer, "v2", null);
    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(rule.metrics().misses()).isEqualTo(2);
  }

  @Test
  void missingKeyIsLoadedOnceOnTheCallersThread() throws Throwable {
    assertThat(site.call("k")).isEqualTo("v1");

    assertThat(method.calls()).isEqualTo(1);
    assertThat(method.lastInvocation().thread).isSameAs(Thread.currentThread());
    assertThat(rule.metrics().misses()).isEqualTo(1);
    assertThat(rule.metrics().loads()).isEqualTo(1);
  }

  @Test
  void upstreamExceptionReachesTheCallerAsTheSameInstance() {
    IllegalStateException boom = new IllegalStateException("boom");
    method.behave(throwing(boom));

    assertThatThrownBy(() -> site.call("k")).isSameAs(boom);
  }

  @Test
  void checkedUpstreamExceptionReachesTheCallerUnchanged() {
    IOException io = new IOException("disk");
    method.behave(throwing(io));

    assertThatThrownBy(() -> site.call("k")).isSameAs(io);
  }

  @Test
  void exceptionsAreNeverCached() throws Throwable {
    method.behave(ScriptedUpstream.firstThen(throwing(new IllegalStateException("once")), returning("ok")));

    assertThatThrownBy(() -> site.call("k")).hasMessage("once");
    assertThat(rule.peek("k")).isNull();
    assertThat(site.call("k")).isEqualTo("ok");
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().loadErrors()).isEqualTo(1);
  }

  @Test
  void everyCallAfterAFailedLoadCallsTheUpstreamAgain() {
    method.behave(throwing(new IllegalStateException("down")));

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> site.call("k")).hasMessage("down");
    }
    assertThat(method.calls()).isEqualTo(3);
  }

  @Test
  void keysAreCachedIndependently() throws Throwable {
    assertThat(site.call("a")).isEqualTo("v1");
    assertThat(site.call("b")).isEqualTo("v2");
    assertThat(site.call("a")).isEqualTo("v1");
    assertThat(site.call("b")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void aValueThatTurnedMissingLeavesTheMemoryTier() throws Throwable {
    site.call("k");
    fixture.clock.advance(TTL.plus(SIE).minusMillis(1));
    assertThat(rule.peek("k")).isNotNull();

    fixture.clock.advance(Duration.ofMillis(1));
    assertThat(rule.peek("k")).isNull();
  }
}
