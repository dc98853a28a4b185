package dev.tieredcache.runtime.redistier;

import static dev.tieredcache.runtime.redistier.Instances.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.BackplaneDelivery;
import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import dev.tieredcache.runtime.redis.RedisConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.params.SetParams;

/**
 * SPEC §3 max-value-size and §5 "hostile Redis content": a value over max-value-size is a miss that is never
 * transferred, a value of this instance's over it is not written (and an older one is not left behind), and the
 * times in an entry's header are held to what the rule's policy allows.
 */
class HostileValuesTest extends OnOneRedisServer {

  private static final EntryCodec STRINGS = new EntryCodec(ValueCodec.forType(String.class, List.of(), null));
  private static final int MAX = RedisConfig.DEFAULT_MAX_VALUE_SIZE;

  @Test
  void aValueOverMaxValueSizeIsAMissThatIsNeverTransferredAndTheLoadedValueIsCached() throws Throwable {
    jedis.setrange("t:r:k", 3L * MAX - 1, "x"); // 3 MB under the key, as anyone with access to Redis could put
    TieredCache cache = instances.open("a", clock);
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(Instances.rule(cache, policy(), String.class), method);
    long sentBefore = bytesSentByRedis();

    assertThat(a.call("k")).isEqualTo("v1");
    long sent = bytesSentByRedis() - sentBefore;
    assertThat(a.call("k")).isEqualTo("v1");

    assertThat(sent).as("bytes Redis sent for the read of the 3 MB value").isLessThan(64 * 1024);
    assertThat(method.calls()).as("upstream calls: the first is a miss, the second a memory hit").isEqualTo(1);
    assertThat(a.rule().metrics().redisErrors()).isZero();
    assertThat(cache.redis().orElseThrow().isCircuitOpen()).isFalse();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.strlen("t:r:k") < 1_000);
    assertThat(STRINGS.decode(jedis.get("t:r:k".getBytes(StandardCharsets.UTF_8))).value())
        .as("the load overwrote the large value").isEqualTo("v1");
  }

  @Test
  void aValueJustUnderMaxValueSizeIsReadAndOneJustOverIsNot() throws Throwable {
    TieredCache cache = instances.open("a", clock);
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(Instances.rule(cache, policy(), String.class), method);
    byte[] fits = entryOfSize("fits", MAX);
    byte[] over = entryOfSize("over", MAX + 1);
    jedis.set("t:r:fits".getBytes(StandardCharsets.UTF_8), fits, SetParams.setParams().px(60_000));
    jedis.set("t:r:over".getBytes(StandardCharsets.UTF_8), over, SetParams.setParams().px(60_000));

    assertThat((String) a.call("fits")).startsWith("fits");
    assertThat(a.call("over")).isEqualTo("v1");
    assertThat(method.calls()).isEqualTo(1);
  }

  @Test
  void aLoadedValueOverMaxValueSizeStaysInMemoryOnlyAndTheOlderValueLeavesRedis() throws Throwable {
    String big = "x".repeat(MAX + 10);
    TieredCache cache = instances.open("a", clock);
    CountedMethod method = new CountedMethod().returning((call, key) -> call == 1 ? "small" : big);
    Caller a = new Caller(Instances.rule(cache, policy(), String.class), method);
    assertThat(a.call("k")).isEqualTo("small");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.exists("t:r:k"));

    clock.advance(Duration.ofSeconds(11)); // stale: served at once, refreshed in the background with the big value
    assertThat(a.call("k")).isEqualTo("small");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> method.calls() == 2 && big.equals(a.begin("k")));

    // the refresh keeps the value in memory first, then turns to Redis
    Awaitility.await().atMost(Duration.ofSeconds(10)).alias("neither the big value nor the outdated small one in Redis")
        .until(() -> !jedis.exists("t:r:k"));
    assertThat(a.call("k")).isEqualTo(big);
    assertThat(method.calls()).as("the big value is served from memory").isEqualTo(2);
    assertThat(cache.redis().orElseThrow().isCircuitOpen()).isFalse();
  }

  @Test
  void freshAndStaleLimitsBeyondTheRulesPolicyAreCutDownToIt() throws Throwable {
    long now = clock.millis();
    plant("k", new CacheEntry("planted", now, Long.MAX_VALUE, Long.MAX_VALUE));
    CountedMethod method = new CountedMethod();
    Caller a = new Caller(Instances.rule(instances.open("a", clock), policy(), String.class), method);

    assertThat(a.call("k")).isEqualTo("planted");
    CacheEntry held = a.rule().peek("k");
    assertThat(held.writtenAt()).isEqualTo(now);
    assertThat(held.freshUntil()).as("fresh until: written + ttl (10 s, no jitter)").isEqualTo(now + 10_000);
    assertThat(held.staleUntil()).as("stale until: fresh until + stale window (1 h)").isEqualTo(now + 10_000
        + 3_600_000);

    clock.advance(Duration.ofSeconds(11));
    assertThat(a.call("k")).as("stale: served while it is refreshed").isEqualTo("planted");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "v1".equals(a.begin("k")));
    assertThat(method.calls()).isEqualTo(1);
  }

  @Test
  void anEntryWrittenInTheFutureIsAMissAndIsOverwritten() throws Throwable {
    long now = clock.millis();
    plant("k", new CacheEntry("from the future", Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MAX_VALUE));
    plant("soon", new CacheEntry("a second ahead", now + 900, now + 10_000, now + 20_000));
    CountedMethod method = new CountedMethod();
    RuleCache rule = Instances.rule(instances.open("a", clock), policy(), String.class);
    Caller a = new Caller(rule, method);

    assertThat(a.call("k")).isEqualTo("v1");
    assertThat(a.call("soon")).as("within the allowance for clocks that differ").isEqualTo("a second ahead");
    assertThat(method.calls()).isEqualTo(1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        "v1".equals(STRINGS.decode(jedis.get("t:r:k".getBytes(StandardCharsets.UTF_8))).value()));
  }

  @Test
  void aRemoteChangeReachesAnEntryWhoseHeaderClaimsMoreThanThePolicyAllows() throws Throwable {
    long now = clock.millis();
    // written "a little ahead" (within the allowance for clocks that differ) and fresh for ever
    plant("k", new CacheEntry("planted", now + 900, Long.MAX_VALUE, Long.MAX_VALUE));
    CountedMethod method = new CountedMethod();
    RuleCache rule = Instances.rule(instances.open("a", clock), policy(), String.class);
    Caller a = new Caller(rule, method);
    assertThat(a.call("k")).isEqualTo("planted");

    // another instance writes a new value now and says so on the backplane
    plant("k", new CacheEntry("newer", now, now + 10_000, now + 20_000));
    BackplaneDelivery.deliver(rule, new BackplaneMessage.Entry(BackplaneMessage.Action.SET, now, "r", "k"));

    assertThat(a.call("k")).as("the held copy gave way to the newer value in Redis").isEqualTo("newer");
    assertThat(method.calls()).isZero();
  }

  private static void plant(String key, CacheEntry entry) {
    jedis.set(("t:r:" + key).getBytes(StandardCharsets.UTF_8), STRINGS.encode(entry),
        SetParams.setParams().px(60_000));
  }

  /** An entry whose encoded form is exactly {@code size} bytes, its value starting with {@code prefix}. */
  private byte[] entryOfSize(String prefix, int size) {
    long now = clock.millis();
    String value = prefix;
    byte[] bytes = STRINGS.encode(new CacheEntry(value, now, now + 10_000, now + 20_000));
    while (bytes.length != size) {
      value = value + "y".repeat(Math.max(0, size - bytes.length));
      if (bytes.length > size) {
        value = value.substring(0, value.length() - (bytes.length - size));
      }
      bytes = STRINGS.encode(new CacheEntry(value, now, now + 10_000, now + 20_000));
    }
    return bytes;
  }

  private static long bytesSentByRedis() {
    for (String line : jedis.info("stats").split("\r?\n")) {
      if (line.startsWith("total_net_output_bytes:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("INFO stats has no total_net_output_bytes");
  }
}
