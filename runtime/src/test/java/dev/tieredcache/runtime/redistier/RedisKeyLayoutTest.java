package dev.tieredcache.runtime.redistier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.Load;
import dev.tieredcache.runtime.RuleCache;
import dev.tieredcache.runtime.TieredCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** SPEC §5: where values live in Redis, how long, and how evictions remove them there. */
class RedisKeyLayoutTest extends OnOneRedisServer {

  @Test
  void valueIsStoredUnderNamespaceRuleKeyAndExpiresWhenItTurnsMissing() throws Throwable {
    RuleCache rule = Instances.rule(instances.open("a", clock), Instances.policy(), String.class);
    new Caller(rule, new CountedMethod()).call("sku-42");

    awaitInRedis("t:r:sku-42");
    CacheEntry held = rule.peek("sku-42");
    long expiresIn = held.staleUntil() - clock.millis();
    long pttl = jedis.pttl("t:r:sku-42");

    assertThat(expiresIn).isEqualTo(Duration.ofSeconds(10).plusHours(1).toMillis());
    assertThat(pttl).isPositive().isLessThanOrEqualTo(expiresIn).isGreaterThan(expiresIn - 5_000);
    assertThat(keys("t:*")).containsExactly("t:r:sku-42");
  }

  @Test
  void keyOver200CharactersIsStoredHashedAndStillRoundTrips() throws Throwable {
    String longKey = "customer/" + "x".repeat(250);
    CountedMethod methodB = new CountedMethod();
    Caller a = new Caller(Instances.rule(instances.open("a", clock), Instances.policy(), String.class),
        new CountedMethod());
    Caller b = new Caller(Instances.rule(instances.open("b", clock), Instances.policy(), String.class), methodB);

    a.call(longKey);

    String hashed = "t:r:sha256:" + sha256Hex(longKey);
    awaitInRedis(hashed);
    assertThat(hashed).hasSize("t:r:sha256:".length() + 64);
    assertThat(keys("t:*")).containsExactly(hashed);
    assertThat(b.begin(longKey)).isEqualTo("v1");
    assertThat(methodB.calls()).isZero();
  }

  @Test
  void keysThatDifferOnlyPastTheHashingLimitStayApart() throws Throwable {
    String common = "y".repeat(300);
    Caller a = new Caller(Instances.rule(instances.open("a", clock), Instances.policy(), String.class),
        new CountedMethod().returning((call, key) -> ((String) key).substring(299)));
    Caller b = new Caller(Instances.rule(instances.open("b", clock), Instances.policy(), String.class),
        new CountedMethod());

    a.call(common + "1");
    a.call(common + "2");

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> keys("t:r:sha256:*").size() == 2);
    assertThat(b.begin(common + "1")).isEqualTo("y1");
    assertThat(b.begin(common + "2")).isEqualTo("y2");
  }

  @Test
  void shortKeyOfTheHashedFormIsHashedItselfSoItNeverNamesAnotherKeysEntry() throws Throwable {
    String longKey = "customer/" + "x".repeat(250);
    String lookalike = "sha256:" + sha256Hex(longKey);
    CountedMethod methodB = new CountedMethod().returning((call, key) -> "own value of " + key);
    Caller a = new Caller(Instances.rule(instances.open("a", clock), Instances.policy(), String.class),
        new CountedMethod().returning((call, key) -> "long key's value"));
    Caller b = new Caller(Instances.rule(instances.open("b", clock), Instances.policy(), String.class), methodB);
    a.call(longKey);
    awaitInRedis("t:r:" + lookalike);

    assertThat(b.call(lookalike)).isEqualTo("own value of " + lookalike);

    assertThat(methodB.calls()).isEqualTo(1);
    awaitInRedis("t:r:sha256:" + sha256Hex(lookalike));
    assertThat(keys("t:*")).containsExactlyInAnyOrder("t:r:" + lookalike, "t:r:sha256:" + sha256Hex(lookalike));
    assertThat(b.call(longKey)).isEqualTo("long key's value");
  }

  @Test
  void shortKeyThatMerelyContainsTheHashPrefixIsStoredAsItIs() throws Throwable {
    Caller a = new Caller(Instances.rule(instances.open("a", clock), Instances.policy(), String.class),
        new CountedMethod());

    a.call("order:sha256:1");

    awaitInRedis("t:r:order:sha256:1");
  }

  @Test
  void evictRemovesTheKeyFromRedisSoAnotherInstanceMisses() throws Throwable {
    Caller a = new Caller(Instances.rule(instances.open("a", clock), Instances.policy(), String.class),
        new CountedMethod());
    Caller b = new Caller(Instances.rule(instances.open("b", clock), Instances.policy(), String.class),
        new CountedMethod());
    a.call("k");
    awaitInRedis("t:r:k");

    a.rule().evict("k");

    // evict waits (bounded) for the delete: the key is gone when it returns
    assertThat(jedis.exists("t:r:k")).isFalse();
    Object answer = b.begin("k");
    assertThat(answer).isInstanceOf(Load.class);
    b.abandon((Load) answer);
  }

  @Test
  void evictAllDeletesEveryKeyOfTheRuleAndNoOtherRulesKeys() throws Throwable {
    TieredCache cache = instances.open("a", clock);
    Caller r = new Caller(Instances.rule(cache, Instances.policy(), String.class), new CountedMethod());
    Caller rr = new Caller(Instances.rule(cache, Instances.policy().name("rr"), String.class), new CountedMethod());
    Caller other = new Caller(Instances.rule(cache, Instances.policy().name("other"), String.class),
        new CountedMethod());
    for (int i = 0; i < 20; i++) {
      r.call("k" + i);
      rr.call("k" + i);
    }
    r.call("*");
    other.call("k0");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> keys("t:*").size() == 42);

    r.rule().evictAll();

    assertThat(keys("t:r:*")).isEmpty();
    assertThat(keys("t:rr:*")).hasSize(20);
    assertThat(keys("t:other:*")).containsExactly("t:other:k0");
    assertThat(r.rule().memorySize()).isZero();
  }

  private static void awaitInRedis(String redisKey) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jedis.exists(redisKey));
  }

  private static Set<String> keys(String pattern) {
    return new TreeSet<>(jedis.keys(pattern));
  }

  private static String sha256Hex(String text) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) {
      hex.append(String.format("%02x", b & 0xff));
    }
    return hex.toString();
  }
}
