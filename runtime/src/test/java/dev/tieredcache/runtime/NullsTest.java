package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static dev.tieredcache.runtime.ScriptedUpstream.firstThen;
import static dev.tieredcache.runtime.ScriptedUpstream.numbered;
import static dev.tieredcache.runtime.ScriptedUpstream.returning;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: {@code null} is cached when cache-nulls is true, and never when it is false. */
class NullsTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream().behave(returning(null));

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void withCacheNullsANullIsCachedAndServedAsTheNullMarker() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).cacheNulls(true));
    CallSite site = new CallSite(rule, method);

    assertThat(site.call("k")).isNull();
    assertThat(rule.peek("k")).isNotNull();
    assertThat(rule.peek("k").value()).isNull();
    assertThat(rule.begin("k", null, null, "k")).isSameAs(RuleCache.NULL_VALUE);
    assertThat(site.call("k")).isNull();
    assertThat(method.calls()).isEqualTo(1);
  }

  @Test
  void cacheNullsIsOnByDefault() {
    assertThat(RulePolicy.DEFAULTS.cacheNulls()).isTrue();
  }

  @Test
  void withoutCacheNullsANullIsNotCachedAndEveryCallLoads() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).cacheNulls(false));
    CallSite site = new CallSite(rule, method);

    assertThat(site.call("k")).isNull();
    assertThat(rule.peek("k")).isNull();
    assertThat(site.call("k")).isNull();
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void withoutCacheNullsANonNullValueIsStillCached() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).cacheNulls(false));
    CallSite site = new CallSite(rule, method.behave(firstThen(returning(null), returning("v"))));

    assertThat(site.call("k")).isNull();
    assertThat(site.call("k")).isEqualTo("v");
    assertThat(site.call("k")).isEqualTo("v");
    assertThat(method.calls()).isEqualTo(2);
  }

  @Test
  void withoutCacheNullsARefreshReturningNullDropsTheStaleValue() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).cacheNulls(false));
    CallSite site = new CallSite(rule, method.behave(numbered("v")));
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(returning(null));

    assertThat(site.call("k")).isEqualTo("v1");

    eventually().until(() -> rule.peek("k") == null);
    assertThat(site.call("k")).isNull();
  }

  @Test
  void withCacheNullsARefreshedNullReplacesTheStaleValue() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(TTL).cacheNulls(true));
    CallSite site = new CallSite(rule, method.behave(numbered("v")));
    site.call("k");
    fixture.clock.advance(TTL);
    method.behave(returning(null));

    assertThat(site.call("k")).isEqualTo("v1");

    eventually().until(() -> rule.peek("k").value() == null);
    assertThat(site.call("k")).isNull();
    assertThat(rule.begin("k", null, null, "k")).isSameAs(RuleCache.NULL_VALUE);
  }
}
