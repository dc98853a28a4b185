package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisWriter;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The Redis tier's background writer: what waits behind a write that Redis is slow to answer. Each test stalls
 * the writer on one SET to a paused server (its timeout is 5 s, so the SET lands once the server resumes),
 * queues its operations meanwhile, and counts the commands Redis executed.
 */
class RedisWriterTest {

  private static final long EXPIRE_MS = 60_000;

  private static RedisServer server;

  private RedisConnection redis;
  private RedisWriter writer;
  private Jedis jedis;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  @AfterEach
  void close() {
    server.resume();
    writer.close();
    redis.close();
    jedis.close();
  }

  @Test
  void pendingWritesOfOneKeyMergeAndTheNewestLands() {
    open(100);
    stallTheWriter();

    set("k", "v1");
    set("k", "v2");
    set("k", "v3");
    assertThat(writer.backlog()).isEqualTo(1);

    server.resume();
    set("marker", "m");
    awaitExists("marker");
    assertThat(jedis.get("k")).isEqualTo("v3");
    assertThat(setCalls()).as("SETs executed: the stalled one, k once, the marker").isEqualTo(3);
  }

  @Test
  void deleteQueuedAfterAPendingWriteKeepsThatWriteFromLanding() {
    open(100);
    stallTheWriter();

    set("k", "v1");
    assertThat(writer.delete("k", bytes("k"), 1)).as("delete done within 1 ms").isFalse();
    assertThat(writer.backlog()).isEqualTo(1);

    server.resume();
    set("marker", "m");
    awaitExists("marker");
    assertThat(jedis.exists("k")).isFalse();
    assertThat(setCalls()).as("SETs executed: the stalled one and the marker").isEqualTo(2);
  }

  @Test
  void fullQueueDropsTheOldestWriteAndCountsIt() {
    open(3);
    jedis.set("evicted", "old");
    stallTheWriter();

    assertThat(writer.delete("evicted", bytes("evicted"), 1)).isFalse();
    set("a", "1");
    set("b", "2");
    set("c", "3");

    assertThat(writer.dropped()).isEqualTo(1);
    assertThat(writer.backlog()).isEqualTo(3);
    server.resume();
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> jedis.exists("b") && jedis.exists("c") && !jedis.exists("evicted"));
    assertThat(jedis.exists("a")).as("the oldest pending write, dropped").isFalse();
    assertThat(setCalls()).as("SETs executed: the stalled one, b and c").isEqualTo(3);
  }

  @Test
  void theWriterThreadOutlivesAnErrorAndCarriesOnWithTheNextOperation() {
    open(100);
    writer.usePublishing(bytes("channel"), 10, messages -> {
      throw new OutOfMemoryError("thrown by the test's message encoder");
    });
    writer.publish("k", "message");

    set("after", "a");

    awaitExists("after");
  }

  private void open(int capacity) {
    jedis = new Jedis(server.hostAndPort());
    jedis.flushAll();
    redis = new RedisConnection(RedisConfig.url(server.url(), Duration.ofSeconds(5)), System::currentTimeMillis);
    writer = new RedisWriter(redis, capacity);
  }

  /** Connects the writer, pauses Redis and leaves the writer waiting for the answer to one SET. */
  private void stallTheWriter() {
    set("warm-up", "w");
    awaitExists("warm-up");
    jedis.configResetStat();
    server.pause();
    set("stalled", "s");
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> writer.backlog() == 0);
  }

  private void set(String key, String value) {
    writer.set(key, bytes(key), bytes(value), EXPIRE_MS);
  }

  private void awaitExists(String key) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.exists(key));
  }

  /** SET commands executed since the writer stalled (the stalled SET counts: it runs when Redis resumes). */
  private long setCalls() {
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_set:")) {
        return Long.parseLong(line.replaceAll("^cmdstat_set:calls=(\\d+),.*", "$1"));
      }
    }
    return 0;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
