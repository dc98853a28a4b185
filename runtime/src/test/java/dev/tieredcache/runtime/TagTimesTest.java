package dev.tieredcache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.redis.RedisConnection;
import dev.tieredcache.runtime.redis.RedisWriter;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * SPEC §3 "Tags", §5 "Hostile Redis content": tag times as {@link TagTimes} keeps, reads and hears of them. A tag
 * time is another host's word: one in the future counts as now, one that is not a time as no evict.
 */
class TagTimesTest {

  private static RedisServer server;

  private final ManualClock clock = new ManualClock();

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    server.close();
  }

  private static CacheEntry writtenAt(long time, String... tags) {
    return new CacheEntry("v", time, time + 60_000, time + 120_000, tags);
  }

  private TagTimes memoryOnly(int maxTags) {
    return new TagTimes(clock, null, null, "t", () -> 60_000, maxTags);
  }

  @Test
  void anEntryIsCurrentUntilOneOfItsTagsIsEvictedAtOrAfterItsWrite() {
    TagTimes times = memoryOnly(100);
    long now = clock.millis();
    CacheEntry entry = writtenAt(now, "a", "b");
    assertThat(times.current(entry)).isTrue();
    assertThat(times.current(entry)).as("remembered at this version").isTrue();

    times.evict("b");

    assertThat(times.current(entry)).as("evicted in the millisecond of its write").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(times.current(writtenAt(clock.millis(), "a", "b"))).as("written after the evict").isTrue();
    assertThat(times.current(writtenAt(now, "a", "c"))).as("other tags, same write time").isTrue();
  }

  @Test
  void anEvictTimeFromAnotherInstanceInTheFutureCountsAsNow() {
    TagTimes times = memoryOnly(100);
    long now = clock.millis();

    times.applyRemote("a", now + Duration.ofDays(365).toMillis());
    clock.advance(Duration.ofMillis(1));

    assertThat(times.timeOf("a")).isEqualTo(now);
    assertThat(times.current(writtenAt(clock.millis(), "a"))).as("written after now: not held back a year").isTrue();
    assertThat(times.current(writtenAt(now - 1, "a"))).isFalse();
  }

  @Test
  void withoutRedisATagTimeDroppedByTheBoundAppliesToEveryTagNotInMemory() {
    TagTimes times = memoryOnly(2);
    long written = clock.millis();
    CacheEntry untouched = writtenAt(written, "never-evicted");
    clock.advance(Duration.ofMillis(1));
    for (int i = 0; i < 50; i++) {
      times.evict("tag-" + i);
      clock.advance(Duration.ofMillis(1));
    }

    assertThat(times.current(untouched)).as("its tag's time may have been dropped: missing, never served wrongly")
        .isFalse();
    assertThat(times.current(writtenAt(clock.millis(), "never-evicted"))).isTrue();
  }

  @Test
  void aTagTimeInRedisIsReadOnAMemoryMissAndHostileOnesCostNothing() throws Exception {
    try (Jedis jedis = server.client(2_000); RedisConnection redis = redis(); RedisWriter writer = writer(redis)) {
      jedis.flushAll();
      long now = clock.millis();
      jedis.set("t:tag:evicted", Long.toString(now - 10));
      jedis.set("t:tag:future", Long.toString(now + Duration.ofDays(1).toMillis()));
      jedis.set("t:tag:garbage", "not a time");
      jedis.set("t:tag:long", "9".repeat(10_000));
      TagTimes times = new TagTimes(clock, redis, writer, "t", () -> 60_000, 100);

      assertThat(times.current(writtenAt(now - 10, "evicted"))).isFalse();
      assertThat(times.current(writtenAt(now - 9, "evicted"))).isTrue();
      assertThat(times.timeOf("future")).as("a time after now counts as now").isEqualTo(now);
      assertThat(times.current(writtenAt(now + 1, "future"))).isTrue();
      assertThat(times.timeOf("garbage")).isEqualTo(Long.MIN_VALUE);
      assertThat(times.timeOf("long")).isEqualTo(Long.MIN_VALUE);
      assertThat(times.current(writtenAt(now, "garbage", "long", "absent"))).isTrue();
    }
  }

  @Test
  void anEvictIsWrittenToRedisToExpireAfterTheLongestLifeOfAnyEntry() throws Exception {
    try (Jedis jedis = server.client(2_000); RedisConnection redis = redis(); RedisWriter writer = writer(redis)) {
      jedis.flushAll();
      TagTimes times = new TagTimes(clock, redis, writer, "t", () -> 90_000, 100);

      long at = times.evict("category:7");
      writer.flush(5_000);

      assertThat(jedis.get("t:tag:category:7")).isEqualTo(Long.toString(at));
      assertThat(jedis.pttl("t:tag:category:7")).isBetween(80_000L, 90_000L);
      TagTimes later = new TagTimes(clock, redis, writer, "t", () -> 90_000, 100);
      assertThat(later.timeOf("category:7")).as("another instance, started later").isEqualTo(at);
    }
  }

  @Test
  void anEvictByTagReachesTheOtherInstancesOverTheBackplane() {
    RedisConfig config = RedisConfig.url(server.url(), Duration.ofMillis(500));
    try (TieredCache a = TieredCache.builder().namespace("bp").redis(config).backplane(true).build();
        TieredCache b = TieredCache.builder().namespace("bp").redis(config).backplane(true).build()) {
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> a.backplane().get().isSubscribed() && b.backplane().get().isSubscribed());
      CacheEntry heldByB = writtenAt(b.clock().millis() - 1, "category:7");
      assertThat(b.tagTimes().current(heldByB)).isTrue();

      a.evictTag("category:7");

      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b.remoteTagEvictions() == 1);
      assertThat(b.tagTimes().current(heldByB)).isFalse();
      assertThat(a.tagEvictions()).isEqualTo(1);
      assertThat(a.remoteTagEvictions()).as("an instance ignores its own messages").isZero();
    }
  }

  private RedisConnection redis() {
    return new RedisConnection(RedisConfig.url(server.url(), Duration.ofMillis(500)), clock);
  }

  private static RedisWriter writer(RedisConnection redis) {
    return new RedisWriter(redis, 100);
  }

  @Test
  void anEvictReturnsOnceTheClockHasPassedItsMillisecondSoAnEntryWrittenAfterItIsKept() {
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    // a coarse clock that moves one millisecond every fourth read
    CacheClock ticking = () -> ManualClock.START + reads.incrementAndGet() / 4;
    TagTimes times = new TagTimes(ticking, null, null, "t", () -> 60_000, 100);

    long evictedAt = times.evict("sku:1");
    times.awaitPast(evictedAt);
    long written = ticking.millis();

    assertThat(written).isGreaterThan(evictedAt);
    assertThat(times.current(writtenAt(written, "sku:1"))).as("written after the evict returned").isTrue();
    assertThat(times.current(writtenAt(evictedAt, "sku:1"))).as("written in the evict's millisecond").isFalse();
  }

  @Test
  void aClockThatDoesNotMoveCostsTheEvictAtMostItsShortWait() {
    TagTimes times = memoryOnly(100);
    long started = System.nanoTime();

    times.awaitPast(times.evict("sku:1"));

    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(1_000);
  }
}
