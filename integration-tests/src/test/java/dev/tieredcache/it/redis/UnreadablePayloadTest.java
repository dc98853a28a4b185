package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.Gadget;
import dev.tieredcache.it.redisapps.Notice;
import dev.tieredcache.it.redisapps.PlainNotice;
import dev.tieredcache.it.redisapps.PoisonedKeysApp;
import dev.tieredcache.runtime.CacheEntry;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Values in Redis that the agent must not use: random bytes, a valid header over a corrupt payload, an entry of
 * another format version, and a payload naming a gadget class that is on the application's class path (once for a
 * rule returning {@code String}, once for a rule returning an interface the gadget implements). Each is a miss that
 * returns the upstream's value, never an exception, never an initialised gadget, and the load overwrites it.
 */
class UnreadablePayloadTest {

  private static final String NOTICE_TYPE = PlainNotice.class.getName();

  @TempDir
  Path dir;

  @Test
  void unreadableOrForbiddenValuesAreMissesAndGetOverwritten() {
    Path marker = dir.resolve("gadget-marker");
    try (RedisServer redis = RedisServer.start(); Jedis jedis = new Jedis(redis.host(), redis.port())) {
      Map<String, byte[]> planted = new LinkedHashMap<>();
      Random random = new Random(20_240_611);
      byte[] garbage = new byte[64];
      random.nextBytes(garbage);
      garbage[0] = 0x13; // never the entry magic (0xF5 0xCC), whatever the seed gives
      planted.put("poison:price:garbage", garbage);

      byte[] corrupt = StoredEntries.encode("corrupt-payload@PLANTED", String.class, Duration.ofMinutes(1));
      byte[] noise = new byte[40];
      random.nextBytes(noise);
      byte[] corruptPayload = new byte[27 + noise.length];
      System.arraycopy(corrupt, 0, corruptPayload, 0, 27);
      System.arraycopy(noise, 0, corruptPayload, 27, noise.length);
      planted.put("poison:price:corrupt-payload", corruptPayload);

      byte[] oldFormat = StoredEntries.encode("old-format@PLANTED", String.class, Duration.ofMinutes(1));
      oldFormat[2] = 0; // format version 0: "one from an older format"
      planted.put("poison:price:old-format", oldFormat);

      // building the payload initialises a Gadget here, in the test JVM, where gadget.marker is not set
      byte[] gadget = StoredEntries.encode(new Gadget(), Gadget.class, Duration.ofMinutes(1));
      planted.put("poison:price:gadget", gadget);
      planted.put("poison:notice:gadget", gadget);
      planted.put("poison:price:" + PoisonedKeysApp.VALID_KEY,
          StoredEntries.encode("valid@stored", String.class, Duration.ofMinutes(1)));
      for (Map.Entry<String, byte[]> p : planted.entrySet()) {
        jedis.set(p.getKey().getBytes(StandardCharsets.UTF_8), p.getValue(), SetParams.setParams().px(60_000));
      }

      ForkedRun run = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: poison",
              "redis: {url: " + redis.url() + ", timeout: 200ms}",
              "rules:",
              "  - name: price",
              "    method: dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)",
              "    key: \"{0}\"",
              "  - name: notice",
              "    method: dev.tieredcache.it.redisapps.NoticeBoard#notice(java.lang.String)",
              "    key: \"{0}\"",
              "    allow-types: [" + NOTICE_TYPE + "]")
          .systemProperty(Gadget.MARKER_PROPERTY, marker.toString())
          .run(PoisonedKeysApp.class);

      System.out.println("FIGURE unreadable-payloads: agent WARN lines " + run.agentLines("WARN"));
      run.assertHealthyAgent();
      for (String key : PoisonedKeysApp.PRICE_KEYS) {
        assertThat(run.result("price." + key)).as(run.context("the call of price(" + key + ") over a planted value"))
            .isEqualTo(key + "@v1");
      }
      assertThat(run.result("notice.gadget")).as(run.context("the call of notice(gadget) over a planted gadget"))
          .isEqualTo("PlainNotice:notice for gadget");
      assertThat(run.longResult("priceUpstreamCalls")).as(run.context("price upstream calls: each a miss"))
          .isEqualTo(PoisonedKeysApp.PRICE_KEYS.size());
      assertThat(run.longResult("noticeUpstreamCalls")).as(run.context("notice upstream calls")).isEqualTo(1);
      assertThat(run.stdout()).as(run.context("stdout of the app: the gadget must never be initialised"))
          .noneMatch(line -> line.contains(Gadget.INITIALISED) || line.contains(Gadget.CONSTRUCTED));
      assertThat(marker).as(run.context("the gadget's marker file")).doesNotExist();
      assertThat(run.agentLines("WARN")).as(run.context("the unreadable values are logged"))
          .anyMatch(line -> line.contains("poison:price:"));
      // four unreadable price values in a row, none read in between: one warning for the rule, not one per value
      assertThat(run.agentLines("WARN")).as(run.context("warnings about unreadable values of rule price"))
          .filteredOn(line -> line.contains("rule 'price': the value under Redis key poison:price:")
              && line.contains("cannot be read")).hasSize(1);
      assertThat(run.agentLines("WARN")).as(run.context("warnings about unreadable values of rule notice"))
          .filteredOn(line -> line.contains("rule 'notice': the value under Redis key poison:notice:gadget cannot be"
              + " read")).hasSize(1);
      assertThat(run.stderr()).as(run.context("no line shows what a planted value holds"))
          .noneMatch(line -> line.contains("PLANTED") || line.contains("valid@stored"));
      // the readable value after them ends the run of unreadable ones, once
      assertThat(run.result("price." + PoisonedKeysApp.VALID_KEY)).as(run.context("the readable planted value"))
          .isEqualTo("valid@stored");
      assertThat(run.agentLines("INFO")).as(run.context("the line saying price's values are read again"))
          .filteredOn(line -> line.contains("rule 'price': values in Redis are read again")).containsExactly(
              "[tiered-cache] INFO rule 'price': values in Redis are read again (4 unreadable values were treated as"
                  + " misses)");

      // each bad value was overwritten by the load (in the background: poll briefly)
      long deadline = System.nanoTime() + 3_000_000_000L;
      for (String key : PoisonedKeysApp.PRICE_KEYS) {
        Object value = readable(jedis, "poison:price:" + key, deadline, String.class);
        assertThat(value).as(run.context("the value now in Redis under poison:price:" + key)).isEqualTo(key + "@v1");
      }
      Object notice = readable(jedis, "poison:notice:gadget", deadline, Notice.class, NOTICE_TYPE);
      assertThat(notice).as(run.context("the value now in Redis under poison:notice:gadget"))
          .isEqualTo(new PlainNotice("notice for gadget"));
    }
  }

  /** The value under {@code key} once it decodes as an entry of {@code type}; fails at {@code deadline}. */
  private static Object readable(Jedis jedis, String key, long deadline, Class<?> type, String... allowTypes) {
    RuntimeException last = null;
    while (System.nanoTime() - deadline < 0) {
      byte[] bytes = jedis.get(key.getBytes(StandardCharsets.UTF_8));
      if (bytes != null) {
        try {
          CacheEntry entry = StoredEntries.decode(bytes, type, allowTypes);
          return entry.value();
        } catch (RuntimeException stillBad) {
          last = stillBad;
        }
      }
      RunningApp.sleep(10);
    }
    return fail("no readable value under " + key + " (last: " + last + ")");
  }
}
