package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A refresh thread bypasses the cache for exactly one call of the rule it refreshes. */
class RefreshWorkerTest {

  private final CacheFixture fixture = new CacheFixture();
  private final RuleCache rule = fixture.rule(CacheFixture.policy());
  private final RuleCache other = fixture.rule(CacheFixture.policy().name("other"));

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void theBypassIsTakenOnceAndOnlyByItsRule() {
    RefreshWorker worker = new RefreshWorker(() -> { }, "test");
    worker.bypassNextCallOf(rule);

    assertThat(worker.takeBypass(other)).isFalse();
    assertThat(worker.takeBypass(rule)).isTrue();
    assertThat(worker.takeBypass(rule)).isFalse();
  }

  @Test
  void workersAreDaemonThreads() {
    assertThat(new RefreshWorker(() -> { }, "test").isDaemon()).isTrue();
  }
}
