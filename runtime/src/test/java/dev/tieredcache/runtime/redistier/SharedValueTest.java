package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import dev.tieredcache.runtime.codec.EntryCodec;
import dev.tieredcache.runtime.codec.ValueCodec;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4–§5: a value loaded by one instance is served by another from Redis without calling its upstream, and a
 * stale memory copy is checked against Redis before the upstream is called.
 */
class SharedValueTest extends OnOneRedisServer {

  private static final EntryCodec STRINGS = new EntryCodec(ValueCodec.forType(String.class, List.of(), null));

  @Test
  void valueLoadedByOneInstanceIsServedByAnotherWithoutCallingItsUpstream() throws Throwable {
    CountedMethod methodA = new CountedMethod();
    CountedMethod methodB = new CountedMethod();
    Caller a = new Caller(rule(instances.open("a", clock), String.class), methodA);
    Caller b = new Caller(rule(instances.open("b", clock), String.class), methodB);

    assertThat(a.call("k")).isEqualTo("v1");
    awaitInRedis("t:r:k");

    assertThat(b.begin("k")).isEqualTo("v1");
    assertThat(b.call("k")).isEqualTo("v1");
    assertThat(methodA.calls()).isEqualTo(1);
    assertThat(methodB.calls()).isZero();
    assertThat(b.rule().metrics().redisHits()).isEqualTo(1);
  }

  @Test
  void plainClassWithoutSerializableOrNoArgConstructorRoundTripsThroughRedis() throws Throwable {
    Parcel parcel = new Parcel("p-1", 1250, Parcel.Size.LARGE, List.of("fragile", "this side up"),
        Instant.parse("2024-05-01T10:15:30.123456789Z"));
    CountedMethod method = new CountedMethod().returning((call, key) -> parcel);
    Caller a = new Caller(rule(instances.open("a", clock), Parcel.class), method);
    RuleCache b = rule(instances.open("b", clock), Parcel.class);

    a.call("p-1");
    awaitInRedis("t:r:p-1");
    Object served = new Caller(b, new CountedMethod()).begin("p-1");

    assertThat(served).isInstanceOf(Parcel.class).isEqualTo(parcel).isNotSameAs(parcel);
  }

  @Test
  void listOfMapsOfJdkValuesRoundTripsThroughRedisUnchanged() throws Throwable {
    List<Map<String, Object>> rows = rows();
    Type declared = SharedValueTest.class.getDeclaredMethod("rows").getGenericReturnType();
    Caller a = new Caller(rule(instances.open("a", clock), declared), new CountedMethod().returning((c, k) -> rows));
    RuleCache b = rule(instances.open("b", clock), declared);

    a.call("rows");
    awaitInRedis("t:r:rows");
    Object served = new Caller(b, new CountedMethod()).begin("rows");

    assertThat(served).isEqualTo(rows).isNotSameAs(rows);
    @SuppressWarnings("unchecked")
    Map<String, Object> first = ((List<Map<String, Object>>) served).get(0);
    assertThat(first.keySet()).containsExactlyElementsOf(rows.get(0).keySet());
    assertThat(first.get("long")).isInstanceOf(Long.class);
    assertThat(first.get("decimal")).isEqualTo(new BigDecimal("12.50"));
  }

  /** The declared type of {@link #listOfMapsOfJdkValuesRoundTripsThroughRedisUnchanged}'s rule. */
  static List<Map<String, Object>> rows() {
    Map<String, Object> first = new LinkedHashMap<>();
    first.put("string", "text with ünïcödé");
    first.put("int", 42);
    first.put("long", 42L);
    first.put("double", 0.5d);
    first.put("boolean", Boolean.TRUE);
    first.put("decimal", new BigDecimal("12.50"));
    first.put("instant", Instant.ofEpochMilli(1_700_000_000_123L));
    first.put("date", LocalDate.of(2024, 2, 29));
    first.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
    first.put("nothing", null);
    first.put("list", new ArrayList<>(Arrays.asList("x", "y")));
    Map<String, Object> second = new LinkedHashMap<>();
    second.put("nested", new LinkedHashMap<>(Map.of("n", 1)));
    return new ArrayList<>(Arrays.asList(first, second));
  }

  @Test
  void staleMemoryEntryIsRevalidatedAgainstRedisBeforeTheUpstreamIsCalled() throws Throwable {
    CountedMethod methodA = new CountedMethod();
    CountedMethod methodB = new CountedMethod();
    // ttl 10 s, swr 1 s, sie 1 h: 12 s after the write, a stale hit loads in the foreground
    Caller a = new Caller(Instances.rule(instances.open("a", clock),
        Instances.policy().staleWhileRevalidate(Duration.ofSeconds(1)), String.class), methodA);
    Caller b = new Caller(Instances.rule(instances.open("b", clock),
        Instances.policy().staleWhileRevalidate(Duration.ofSeconds(1)), String.class), methodB);
    assertThat(a.call("k")).isEqualTo("v1");
    awaitInRedis("t:r:k");
    assertThat(b.call("k")).isEqualTo("v1");

    clock.advance(Duration.ofSeconds(12));
    assertThat(a.call("k")).isEqualTo("v2");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> "v2".equals(storedString("t:r:k")));

    assertThat(b.begin("k")).isEqualTo("v2");
    assertThat(methodA.calls()).isEqualTo(2);
    assertThat(methodB.calls()).isZero();
    assertThat(b.rule().peek("k").value()).isEqualTo("v2");
  }

  @Test
  void staleMemoryEntryWithNothingNewerInRedisIsLoadedInTheForeground() throws Throwable {
    CountedMethod methodA = new CountedMethod();
    Caller a = new Caller(Instances.rule(instances.open("a", clock),
        Instances.policy().staleWhileRevalidate(Duration.ofSeconds(1)), String.class), methodA);
    assertThat(a.call("k")).isEqualTo("v1");
    awaitInRedis("t:r:k");

    clock.advance(Duration.ofSeconds(12));
    Object answer = a.begin("k");

    assertThat(answer).isInstanceOf(Load.class);
    a.rule().complete((Load) answer, "v2", null);
    assertThat(a.call("k")).isEqualTo("v2");
  }

  private void awaitInRedis(String redisKey) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.exists(redisKey));
  }

  /** The value of the entry Redis holds under {@code redisKey} for a rule of Strings, or null. */
  private static Object storedString(String redisKey) {
    byte[] stored = jedis.get(redisKey.getBytes(StandardCharsets.UTF_8));
    return stored == null ? null : STRINGS.decode(stored).value();
  }

  private static RuleCache rule(TieredCache cache, Type type) {
    return Instances.rule(cache, Instances.policy(), type);
  }
}
