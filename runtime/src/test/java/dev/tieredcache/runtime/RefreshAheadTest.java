package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.ScriptedUpstream.blockingUntil;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.throwing;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §3/§4: with refresh-ahead 0.8 the first hit after 80% of ttl starts one background refresh. */
class RefreshAheadTest {

  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration AHEAD = Duration.ofSeconds(8);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void close() {
    gate.countDown();
    fixture.close();
  }

  private RuleCache rule(OptionalDouble refreshAhead) {
    return fixture.rule(CacheFixture.policy().ttl(TTL).refreshAhead(refreshAhead));
  }

  @Test
  void noRefreshBeforeTheRefreshAheadPoint() throws Throwable {
    RuleCache rule = rule(OptionalDouble.of(0.8));
    CallSite site = new CallSite(rule, method);
    site.call("k");

    fixture.clock.advance(AHEAD.minusMillis(1));
    assertThat(site.call("k")).isEqualTo("v1");

    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.metrics().refreshes()).isZero();
  }

  @Test
  void aHitAtTheRefreshAheadPointStartsOneBackgroundRefreshAndServesTheCurrentValue() throws Throwable {
    RuleCache rule = rule(OptionalDouble.of(0.8));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(AHEAD);
    method.behave(blockingUntil(gate, numbered("v")));

    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> method.calls() == 2);
    for (int i = 0; i < 50; i++) {
      assertThat(site.call("k")).isEqualTo("v1");
    }
    assertThat(method.calls()).isEqualTo(2);
    assertThat(rule.metrics().refreshes()).isEqualTo(1);
    assertThat(rule.metrics().freshHits()).isEqualTo(51);
    assertThat(method.lastInvocation().thread).isInstanceOf(RefreshWorker.class);

    gate.countDown();
    eventually().until(() -> "v2".equals(rule.peek("k").value()));
    assertThat(site.call("k")).isEqualTo("v2");
  }

  @Test
  void theRefreshedValueIsRefreshedAheadAgainOnlyAfterItsOwnRefreshAheadPoint() throws Throwable {
    RuleCache rule = rule(OptionalDouble.of(0.8));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(AHEAD);
    site.call("k");
    eventually().until(() -> "v2".equals(rule.peek("k").value()));

    fixture.clock.advance(AHEAD.minusMillis(1));
    assertThat(site.call("k")).isEqualTo("v2");
    assertThat(method.calls()).isEqualTo(2);

    fixture.clock.advance(Duration.ofMillis(1));
    site.call("k");
    eventually().until(() -> "v3".equals(rule.peek("k").value()));
    assertThat(rule.metrics().refreshes()).isEqualTo(2);
  }

  @Test
  void withoutRefreshAheadAFreshHitNeverRefreshes() throws Throwable {
    RuleCache rule = rule(OptionalDouble.empty());
    CallSite site = new CallSite(rule, method);
    site.call("k");

    fixture.clock.advance(TTL.minusMillis(1));
    assertThat(site.call("k")).isEqualTo("v1");

    assertThat(method.calls()).isEqualTo(1);
    assertThat(rule.metrics().refreshes()).isZero();
  }

  @Test
  void aFailedRefreshAheadKeepsTheValueAndWaitsForErrorBackoff() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(Duration.ofSeconds(100))
        .refreshAhead(OptionalDouble.of(0.5)).errorBackoff(Duration.ofSeconds(5)));
    CallSite site = new CallSite(rule, method);
    site.call("k");
    fixture.clock.advance(Duration.ofSeconds(50));
    method.behave(throwing(new IllegalStateException("down")));

    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> rule.failedRefreshes("k") == 1);
    fixture.clock.advance(Duration.ofMillis(4_999));
    assertThat(site.call("k")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(2);

    fixture.clock.advance(Duration.ofMillis(1));
    method.behave(numbered("v"));
    assertThat(site.call("k")).isEqualTo("v1");
    eventually().until(() -> "v3".equals(rule.peek("k").value()));
  }
}
