package dev.tieredcache.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 / SPEC §5: whatever a Redis call throws, {@code Error}s included (a reply nested deep enough to overflow
 * the client's stack, one that declares 2 GB, one of the wrong shape), is a {@link RedisUnavailableException}, so
 * a caller's read is a miss; the breaker hears of it, a probe included, and the writer thread goes on writing.
 */
class ErrorsOfRedisCallsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private ScriptedRedis server;
  private RedisConnection redis;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedRedis();
    redis = new RedisConnection(RedisConfig.url(server.url(), TIMEOUT), now::get);
  }

  @AfterEach
  void stop() throws IOException {
    redis.close();
    server.close();
  }

  @ParameterizedTest
  @CsvSource({"deep, java.lang.StackOverflowError", "huge, java.lang.OutOfMemoryError",
      "array, java.lang.IllegalStateException"})
  void aReplyThatMakesTheClientThrowIsAFailedCallAndTheNextCallWorks(String key, Class<?> thrown) throws Exception {
    assertThat(redis.get(key("quick"))).isEqualTo(key("v"));

    assertThatThrownBy(() -> redis.get(key(key))).isInstanceOf(RedisUnavailableException.class)
        .cause().isInstanceOf(thrown);

    assertThat(redis.get(key("quick"))).isEqualTo(key("v"));
  }

  @Test
  void aProbeThatDiesWithAnErrorReportsBackAndALaterProbeClosesTheBreaker() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> redis.get(key("huge"))).isInstanceOf(RedisUnavailableException.class);
    }
    assertThat(redis.isCircuitOpen()).isTrue();

    now.addAndGet(1_001);
    assertThatThrownBy(() -> redis.get(key("deep"))).as("the probe").isInstanceOf(RedisUnavailableException.class);
    now.addAndGet(1_001);
    assertThatThrownBy(() -> redis.get(key("quick"))).as("skipped: the failed probe doubled the open period")
        .isInstanceOf(RedisUnavailableException.class).hasMessageContaining("circuit open");

    now.addAndGet(1_000);
    assertThat(redis.get(key("quick"))).as("the next probe").isEqualTo(key("v"));
    assertThat(redis.isCircuitOpen()).isFalse();
  }

  @Test
  void theWriterThreadKeepsWritingAfterItsCallsThrowErrors() throws Exception {
    try (RedisWriter writer = new RedisWriter(redis, 100)) {
      writer.set("huge", key("huge"), key("x"), 60_000);
      writer.set("deep", key("deep"), key("x"), 60_000);
      writer.set("array", key("array"), key("x"), 60_000);
      writer.set("after", key("after"), key("x"), 60_000);

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.setKeys().contains("after"));
    }
  }

  private static byte[] key(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
