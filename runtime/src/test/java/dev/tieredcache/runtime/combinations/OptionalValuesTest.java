package dev.tieredcache.runtime.combinations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.RulePolicy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A method that returns {@code Optional<T>} is cached like any other: the {@code Optional} itself is the value,
 * present or empty, in memory and in Redis (the codec knows {@code Optional} and its type argument).
 */
class OptionalValuesTest {

  private static final Duration TTL = Duration.ofSeconds(10);

  private Tiers tiers;

  @AfterEach
  void close() {
    tiers.close();
  }

  /** The declared return type the rule is bound to, as the agent binds it from the method. */
  private static Optional<String> declared() {
    return Optional.empty();
  }

  private static Type optionalOfString() throws NoSuchMethodException {
    return OptionalValuesTest.class.getDeclaredMethod("declared").getGenericReturnType();
  }

  private Method method(Tiers on) throws NoSuchMethodException {
    RuleCache rule = on.rule(RulePolicy.builder().ttl(TTL), optionalOfString());
    return new Method(rule, Optional.class)
        .behave((n, key) -> key.equals("none") ? Optional.empty() : Optional.of("v" + n));
  }

  @ParameterizedTest
  @EnumSource(TierSetting.class)
  void presentAndEmptyOptionalsAreCached(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    Method method = method(tiers);
    assertThat(method.call("k")).isEqualTo(Optional.of("v1"));
    assertThat(method.call("none")).isEqualTo(Optional.empty());
    tiers.flush();

    assertThat(method.call("k")).isEqualTo(Optional.of("v1"));
    assertThat(method.call("none")).isEqualTo(Optional.empty());
    assertThat(method.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(value = TierSetting.class, names = {"MEMORY_AND_REDIS", "REDIS"})
  void anotherInstanceReadsOptionalsFromRedis(TierSetting setting) throws Throwable {
    tiers = Tiers.of(setting);
    Method method = method(tiers);
    method.call("k");
    method.call("none");
    tiers.flush();
    Tiers other = tiers.another();
    try {
      Method elsewhere = method(other);
      assertThat(elsewhere.call("k")).isEqualTo(Optional.of("v1"));
      assertThat(elsewhere.call("none")).isEqualTo(Optional.empty());
      assertThat(elsewhere.calls()).isZero();
    } finally {
      other.close();
    }
  }
}
