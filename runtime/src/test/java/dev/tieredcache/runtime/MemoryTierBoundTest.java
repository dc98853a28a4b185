package dev.tieredcache.runtime;

import static dev.tieredcache.runtime.CacheFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: the memory tier is bounded, each rule on its own by its max-entries. */
class MemoryTierBoundTest {

  private final CacheFixture fixture = new CacheFixture();
  private final ScriptedUpstream method = new ScriptedUpstream();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void writingTenTimesMaxEntriesKeysLeavesAtMostMaxEntries() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(Duration.ofMinutes(10)).maxEntries(100));
    CallSite site = new CallSite(rule, method);

    for (int i = 0; i < 1_000; i++) {
      assertThat(site.call("k" + i)).isEqualTo("v" + (i + 1));
    }

    eventually().until(() -> rule.memorySize() <= 100);
    int held = 0;
    for (int i = 0; i < 1_000; i++) {
      if (rule.peek("k" + i) != null) {
        held++;
      }
    }
    assertThat(held).isLessThanOrEqualTo(100);
  }

  @Test
  void eachRuleIsBoundedOnItsOwn() throws Throwable {
    RuleCache small = fixture.rule(CacheFixture.policy().name("small").ttl(Duration.ofMinutes(10)).maxEntries(10));
    RuleCache large = fixture.rule(CacheFixture.policy().name("large").ttl(Duration.ofMinutes(10)).maxEntries(500));
    CallSite smallSite = new CallSite(small, method);
    CallSite largeSite = new CallSite(large, method);

    for (int i = 0; i < 400; i++) {
      smallSite.call("k" + i);
      largeSite.call("k" + i);
    }

    eventually().until(() -> small.memorySize() <= 10);
    assertThat(large.memorySize()).isEqualTo(400);
  }

  @Test
  void anEvictedKeyIsLoadedAgainOnItsNextCall() throws Throwable {
    RuleCache rule = fixture.rule(CacheFixture.policy().ttl(Duration.ofMinutes(10)).maxEntries(5));
    CallSite site = new CallSite(rule, method);
    for (int i = 0; i < 100; i++) {
      site.call("k" + i);
    }
    eventually().until(() -> rule.memorySize() <= 5);
    String gone = null;
    for (int i = 0; i < 100 && gone == null; i++) {
      if (rule.peek("k" + i) == null) {
        gone = "k" + i;
      }
    }

    assertThat(gone).isNotNull();
    int calls = method.calls();
    site.call(gone);
    assertThat(method.calls()).isEqualTo(calls + 1);
  }
}
