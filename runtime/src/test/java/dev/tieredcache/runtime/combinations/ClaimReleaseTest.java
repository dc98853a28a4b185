package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CacheClock;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import dev.tieredcache.runtime.redistier.ManualWallClock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/**
 * A caller that claimed a key's load always releases it. Before, anything that threw inside the runtime after the
 * claim left the key claimed: every later miss waited the whole load-timeout and no refresh of it ran again.
 */
class ClaimReleaseTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;
  private final ExecutorService others = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    others.shutdownNow();
    tiers.close();
  }

  static Stream<Arguments> tiersAndFailingClockReads() {
    return Stream.of(TierSetting.values())
        .flatMap(setting -> Stream.of(2, 3, 4).map(read -> Arguments.of(setting, read)));
  }

  @ParameterizedTest(name = "{0}, clock read {1} throws")
  @MethodSource("tiersAndFailingClockReads")
  void aKeyIsNotWedgedWhenTheRuntimeFailsAfterClaimingItsLoad(TierSetting setting, int failingRead)
      throws Throwable {
    FailingClock clock = new FailingClock();
    tiers = Tiers.withClock(setting, base -> clock.over(base));
    RuleCache rule = tiers.rule(RulePolicy.builder().ttl(TTL).loadTimeout(Duration.ofSeconds(30)), String.class);
    Method method = new Method(rule, String.class);

    clock.failRead(failingRead);
    assertThat(method.call("k")).as("the faulty call runs the method").isEqualTo("v1");
    clock.failRead(0);
    tiers.flush();

    Future<Object> next = others.submit(() -> method.callFromTask("k"));
    assertThat(next.get(5, TimeUnit.SECONDS)).as("the next caller, on another thread, does not wait for a load")
        .isIn("v1", "v2");
    tiers.flush();
    Object cached = method.call("k");
    assertThat(method.call("k")).isEqualTo(cached);
  }

  /** A clock over a manual one that throws on its n-th read after {@link #failRead}, once. */
  static final class FailingClock {
    private final AtomicInteger countdown = new AtomicInteger();

    void failRead(int n) {
      countdown.set(n);
    }

    CacheClock over(ManualWallClock base) {
      return () -> {
        if (countdown.get() > 0 && countdown.decrementAndGet() == 0) {
          throw new IllegalStateException("clock failure injected by the test");
        }
        return base.millis();
      };
    }
  }
}
