package dev.tieredcache.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** URLs with raw or percent-encoded passwords are read whole, and shown only masked. */
class RedisUrlTest {

  @ParameterizedTest(name = "[{index}]") // the arguments are passwords: test reports must not show them
  @ValueSource(strings = {"S3cr/et@pw", "p@ss@word", "a b c", "100%", "50%off", "colon:inside", "q?uery#frag",
      "ends-with-at@", "/", "%zz", "üñí©ødé"})
  void rawPasswordIsReadWholeAndNeverShown(String password) {
    RedisUrl url = RedisUrl.parse("redis://app:" + password + "@cache.internal:6380/3");
    assertThat(url.username()).contains("app");
    assertThat(url.password()).contains(password);
    assertThat(url.host()).isEqualTo("cache.internal");
    assertThat(url.port()).isEqualTo(6380);
    assertThat(url.database()).isEqualTo(3);
    assertThat(url.isTls()).isFalse();
    assertThat(url.toString()).isEqualTo("redis://app:***@cache.internal:6380/3");
    assertThat(RedisUrl.mask("redis://app:" + password + "@cache.internal:6380/3"))
        .isEqualTo("redis://app:***@cache.internal:6380/3");
  }

  @ParameterizedTest(name = "[{index}]") // the arguments are passwords: test reports must not show them
  @CsvSource(delimiter = '|', value = {
      "redis://:p%40ss%2Fw%25rd@h        | p@ss/w%rd",
      "redis://:%E2%82%AC%20euro@h       | € euro",
      "redis://:%4@h                     | %4",
      "redis://:pw%@h                    | pw%"})
  void percentEscapesAreDecodedAndLonePercentSignsKept(String text, String password) {
    assertThat(RedisUrl.parse(text.trim()).password()).contains(password);
  }

  @Test
  void partsDefaultSensibly() {
    RedisUrl plain = RedisUrl.parse("redis://127.0.0.1");
    assertThat(plain.port()).isEqualTo(6379);
    assertThat(plain.database()).isZero();
    assertThat(plain.username()).isEmpty();
    assertThat(plain.password()).isEmpty();
    assertThat(plain).hasToString("redis://127.0.0.1:6379");

    RedisUrl passwordOnly = RedisUrl.parse("rediss://:secret@[::1]:7000/");
    assertThat(passwordOnly.isTls()).isTrue();
    assertThat(passwordOnly.host()).isEqualTo("::1");
    assertThat(passwordOnly.username()).isEmpty();
    assertThat(passwordOnly.password()).contains("secret");
    assertThat(passwordOnly).hasToString("rediss://***@[::1]:7000");

    assertThat(RedisUrl.parse("redis://secret@h").password()).as("user information without ':' is a password")
        .contains("secret");
    assertThat(RedisUrl.parse("REDIS://h:1").port()).isEqualTo(1);
  }

  @ParameterizedTest(name = "[{index}]") // the arguments are passwords: test reports must not show them
  @ValueSource(strings = {"http://:S3cr/et@pw@h:6379", "redis://:S3cr/et@pw@h:port", "redis://:S3cr/et@pw@",
      "redis://:S3cr/et@pw@h:6379/db", "redis://:S3cr/et@pw@h:6379?ssl=true", "redis://:S3cr/et@pw@[::1:6379",
      "redis//:S3cr/et@pw@h", ":S3cr/et@pw@h"})
  void malformedUrlIsRefusedWithoutItsPasswordInTheMessage(String text) {
    assertThatThrownBy(() -> RedisUrl.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .message().doesNotContain("S3cr").doesNotContain("et@pw").contains("***@");
    assertThatThrownBy(() -> RedisConfig.url(text, Duration.ofMillis(50))).message().doesNotContain("S3cr");
  }

  @Test
  void maskNeverFailsAndHidesEverythingBeforeTheLastAt() {
    assertThat(RedisUrl.mask("no url at all")).isEqualTo("no url at all");
    assertThat(RedisUrl.mask("redis://h:6379")).isEqualTo("redis://h:6379");
    assertThat(RedisUrl.mask("pass word@h")).isEqualTo("***@h");
    assertThat(RedisUrl.mask("redis://we ird:user:pw@h")).as("a user name that is not plain is hidden too")
        .isEqualTo("redis://***@h");
    assertThat(RedisUrl.mask(null)).isEqualTo("null");
  }

  @Test
  void configDescriptionHidesEveryPassword() {
    RedisConfig url = RedisConfig.url("redis://app:S3cr/et@pw@cache:6379", Duration.ofMillis(50));
    assertThat(url).hasToString("redis://app:***@cache:6379");
    assertThat(url.username()).contains("app");
    assertThat(url.password()).contains("S3cr/et@pw");

    RedisConfig sentinel = RedisConfig.sentinel("mymaster", java.util.List.of("s1:26379"), Duration.ofMillis(50))
        .withCredentials("app", "data-pw").withSentinelPassword("sentinel-pw");
    assertThat(sentinel.toString()).isEqualTo("sentinel mymaster via [s1:26379] as app:***")
        .doesNotContain("data-pw").doesNotContain("sentinel-pw");
    assertThat(sentinel.redact("WRONGPASS data-pw and sentinel-pw")).isEqualTo("WRONGPASS *** and ***");

    RedisConfig tls = RedisConfig.cluster(java.util.List.of("c1:7000"), Duration.ofMillis(50))
        .withCredentials(null, "pw").withTls(RedisTls.of(null, "store-pw", false));
    assertThat(tls.toString()).isEqualTo("cluster [c1:7000] as default:*** (tls, host name not verified)");
  }
}
