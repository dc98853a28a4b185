package dev.tieredcache.it.backplane;

import static dev.tieredcache.it.backplane.SaverAndHolder.PHASE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.redis.RunningApp;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Two JVMs of one application with the agent and {@code backplane: true}: B holds 20 products in memory, fresh for
 * minutes, when its subscription is cut; while it is away A saves 10 of them (its evict rule runs) and reads 5 of
 * those again (their new value goes to Redis, announced as a write). Once B has subscribed again by itself, without
 * a restart, it must serve none of its old copies as fresh: its next read of each changed product returns the new
 * name.
 *
 * <p>B is stopped ({@code SIGSTOP}, as in a long GC pause) from just before the cut until A's messages have gone by
 * on the channel: its reconnect backoff starts at 100 ms, so otherwise whether B misses them would be a race the
 * test could lose without noticing. It is continued before it resubscribes, and resubscribes on its own.
 */
class SubscriptionGapAcrossJvmsTest {

  private static final int HELD = 20;
  private static final List<String> SAVED = SaverAndHolder.ids(0, 10);
  private static final List<String> REWRITTEN = SaverAndHolder.ids(5, 10);

  @TempDir
  Path dir;

  @Test
  void afterItsSubscriptionIsKilledAnInstanceServesTheNewValueOfEveryKeyChangedMeanwhile() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Jedis admin = new Jedis(redis.host(), redis.port(), 2_000);
        SaverAndHolder fleet = SaverAndHolder.start(dir, redis, "gap-kill", HELD, SAVED, REWRITTEN)) {
      fleet.holdInB(admin);

      long bPid = fleet.pidOfB();
      signal(bPid, "STOP");
      long stopped = System.nanoTime();
      BackplaneWatch watch = null;
      try {
        long killed = admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
        assertThat(killed).as("pubsub connections killed: A's and B's subscriptions").isEqualTo(2);
        fleet.subscribers.await(1, PHASE, fleet.a, fleet.b);
        watch = awayFromB(fleet, redis);
      } finally {
        signal(bPid, "CONT");
      }
      try {
        long away = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        long backAfter = fleet.subscribers.await(3, PHASE, fleet.a, fleet.b);
        System.out.println("[backplane] CLIENT KILL TYPE pubsub: B was away " + away + " ms while A saved "
            + SAVED.size() + " products; continued, B subscribed again by itself after " + backAfter + " ms");
      } finally {
        watch.close();
      }

      SaverAndHolder.Results results = fleet.rereadAndFinish();
      results.assertBServesNewValuesOfChangedKeys();
      assertResubscribedAndMarkedStale(results);
      // what B held and A did not change is still in Redis as B wrote it before the cut, and A's rewrites are there
      // too: B takes both from Redis, and loads from the table only the products A evicted
      assertThat(results.bLoadsOnReread()).as(results.b.context("B's upstream calls when reading again"))
          .isEqualTo(SAVED.size() - REWRITTEN.size());
    }
  }

  @Test
  void afterRedisIsKilledAndRestartedAnInstanceServesTheNewValueOfEveryKeyChangedMeanwhile() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Jedis admin = new Jedis(redis.host(), redis.port(), 2_000);
        SaverAndHolder fleet = SaverAndHolder.start(dir, redis, "gap-restart", HELD, SAVED, REWRITTEN)) {
      fleet.holdInB(admin);

      redis.kill();
      long killed = System.nanoTime();
      fleet.subscribers.await(-1, PHASE, fleet.a, fleet.b);
      // both instances keep trying to subscribe to a dead server, backing off
      RunningApp.sleep(1_500);
      long bPid = fleet.pidOfB();
      signal(bPid, "STOP");
      long stopped = System.nanoTime();
      BackplaneWatch watch = null;
      long down;
      try {
        redis.restart();
        down = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        fleet.subscribers.await(1, PHASE, fleet.a, fleet.b);
        watch = awayFromB(fleet, redis);
      } finally {
        signal(bPid, "CONT");
      }
      try {
        long away = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
        long backAfter = fleet.subscribers.await(3, PHASE, fleet.a, fleet.b);
        System.out.println("[backplane] Redis killed, down " + down + " ms, restarted empty on the same port; B,"
            + " stopped for the last " + away + " ms of its absence while A saved " + SAVED.size()
            + " products, subscribed again by itself " + backAfter + " ms after it was continued");
      } finally {
        watch.close();
      }

      SaverAndHolder.Results results = fleet.rereadAndFinish();
      results.assertBServesNewValuesOfChangedKeys();
      assertResubscribedAndMarkedStale(results);
      // the restarted Redis lost what B had written there: each product B held that A did not rewrite is loaded
      // again, the unchanged ones included (same names, but their loads show that B revalidated them); A's rewrites
      // come from Redis, or from the table while B's circuit breaker still skips Redis after the outage
      assertThat(results.bLoadsOnReread()).as(results.b.context("B's upstream calls when reading again"))
          .isBetween((long) (HELD - REWRITTEN.size()), (long) HELD);
    }
  }

  /**
   * With B stopped and A alone subscribed: subscribes the test to the channel and lets A make its changes. Returns
   * the watch, still subscribed, once every change went by while B was not subscribed.
   */
  private static BackplaneWatch awayFromB(SaverAndHolder fleet, RedisServer redis) throws InterruptedException {
    BackplaneWatch watch = BackplaneWatch.start(redis, fleet.channel);
    try {
      fleet.subscribers.await(2, PHASE, fleet.a, fleet.b);
      fleet.changeInA(watch);
      assertThat(fleet.subscribers.count()).as("subscribers after A's changes went out: A and the test, not B")
          .isEqualTo(2);
      return watch;
    } catch (RuntimeException | Error e) {
      watch.close();
      throw e;
    }
  }

  private static void assertResubscribedAndMarkedStale(SaverAndHolder.Results results) {
    assertThat(results.b.agentLines("WARN")).as(results.b.context("B's warning that its subscription dropped"))
        .anyMatch(line -> line.contains("backplane subscription to") && line.contains("dropped"));
    assertThat(results.b.agentLines("INFO")).as(results.b.context("B's line saying its subscription came back"))
        .anyMatch(line -> line.contains("is back; memory entries written before it were marked stale"));
  }

  /** Sends {@code SIGSTOP} or {@code SIGCONT} to a forked JVM. */
  private static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
