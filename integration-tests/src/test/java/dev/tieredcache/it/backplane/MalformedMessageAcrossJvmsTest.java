package dev.tieredcache.it.backplane;

import static dev.tieredcache.it.backplane.SaverAndHolder.PHASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.runtime.backplane.BackplaneMessage;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Whatever else is published on the backplane channel is ignored by the agent in every JVM, which keeps its
 * subscription and goes on applying the real messages behind it, logging at most one (rate-limited) warning.
 */
class MalformedMessageAcrossJvmsTest {

  private static final String IGNORED = "ignored a message on";

  @TempDir
  Path dir;

  @Test
  void garbageOnTheChannelIsIgnoredAndTheEvictionAfterItStillApplies() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Jedis other = new Jedis(redis.host(), redis.port(), 2_000);
        SaverAndHolder fleet = SaverAndHolder.start(dir, redis, "garbage", 2, List.of("p0"), List.of())) {
      fleet.holdInB(other);

      try (BackplaneWatch watch = BackplaneWatch.start(redis, fleet.channel)) {
        fleet.subscribers.await(3, PHASE, fleet.a, fleet.b);
        byte[] channel = fleet.channel.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, byte[]> message : garbage().entrySet()) {
          assertThat(other.publish(channel, message.getValue()))
              .as("subscribers (A, B, the test) that received the " + message.getKey()).isEqualTo(3);
        }
        // behind the garbage, on the same channel: A saves p0, its evict rule runs and announces it
        fleet.changeInA(watch);
        assertThat(watch.unreadable()).as("garbage messages the test's own subscription saw")
            .isEqualTo(garbage().size());
        assertThat(fleet.subscribers.count()).as("subscribers after the garbage: none dropped").isEqualTo(3);
      }

      SaverAndHolder.Results results = fleet.rereadAndFinish();
      results.assertBServesNewValuesOfChangedKeys();
      // p1 was named by the future-version eviction: had B applied it, it would have loaded p1 again
      assertThat(results.bLoadsOnReread()).as(results.b.context("B's upstream calls when reading again: p0 only"))
          .isEqualTo(1);
      for (ForkedRun run : List.of(results.a, results.b)) {
        String name = run == results.a ? "A" : "B";
        System.out.println("[backplane] garbage: " + name + "'s WARN lines: " + run.agentLines("WARN"));
        assertThat(run.agentLines("WARN")).as(run.context(name + ": at most one, rate-limited, warning about"
            + " the ignored messages, and no other warning")).hasSizeLessThanOrEqualTo(1)
            .allMatch(line -> line.contains(IGNORED));
        assertThat(run.stderr()).as(run.context(name + ": the subscription never dropped"))
            .noneMatch(line -> line.contains("dropped") || line.contains("is back"));
      }
    }
  }

  /** Random bytes, an empty payload, and a well-formed eviction of p1 in a future format version. */
  private static Map<String, byte[]> garbage() {
    Map<String, byte[]> garbage = new LinkedHashMap<>();
    byte[] random = new byte[64];
    new Random(42).nextBytes(random);
    garbage.put("random bytes", random);
    garbage.put("empty payload", new byte[0]);
    byte[] future = new BackplaneMessage("someone-else", List.of(new BackplaneMessage.Entry(
        BackplaneMessage.Action.EVICT, System.currentTimeMillis(), SaverAndHolder.RULE, "p1"))).encode();
    // magic, then the format version: this build writes and reads 1
    assertThat(future[1]).as("format version this build writes").isEqualTo((byte) 1);
    future[1] = 2;
    garbage.put("version-2 eviction of p1", future);
    return garbage;
  }
}
