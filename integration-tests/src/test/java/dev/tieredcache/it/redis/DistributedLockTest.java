package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.Headline;
import dev.tieredcache.it.redisapps.HotKeyApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distributed-lock: true}: three JVMs serve a stale hot key from several threads each, and the key is
 * refreshed once across all of them; every JVM then serves the refreshed value.
 */
class DistributedLockTest {

  private static final int JVMS = 3;
  /**
   * Longer than the hammering ({@code HotKeyApp.HAMMER_MILLIS}, 2 s) after the refresh, so that the refreshed
   * value stays fresh to the end and any second refresh is one too many.
   */
  private static final long TTL_MILLIS = 3_000;

  @TempDir
  Path dir;

  @Test
  void staleHotKeyIsRefreshedOnceAcrossAllJvms() throws IOException {
    SignalFiles signals = SignalFiles.in(dir);
    try (RedisServer redis = RedisServer.start()) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: hot",
              "redis: {url: " + redis.url() + ", timeout: 200ms}",
              "rules:",
              "  - name: headline",
              "    method: dev.tieredcache.it.redisapps.Headline#headline(java.lang.String)",
              "    key: \"{0}\"",
              "    ttl: " + TTL_MILLIS + "ms",
              "    jitter: 0%",
              "    stale-while-revalidate: 1m",
              "    distributed-lock: true");
      List<RunningApp> apps = new ArrayList<>();
      List<ForkedRun> runs = new ArrayList<>();
      long go;
      try {
        for (int i = 1; i <= JVMS; i++) {
          apps.add(new RunningApp("HotKeyApp jvm-" + i, jvm.runInBackground(HotKeyApp.class, "jvm-" + i), signals,
              "go"));
        }
        for (int i = 1; i <= JVMS; i++) {
          apps.get(i - 1).awaitSignal("ready-jvm-" + i, Duration.ofSeconds(30));
        }
        // every JVM's copy, and the one in Redis, was written before the last ready signal: stale after the ttl
        RunningApp.sleep(TTL_MILLIS + 300);
        go = System.currentTimeMillis();
        signals.raise("go");
        for (RunningApp app : apps) {
          runs.add(app.finish(Duration.ofSeconds(30)));
        }
      } finally {
        apps.forEach(RunningApp::close);
      }

      List<String> calls = Files.readAllLines(dir.resolve(Headline.CALL_LOG), StandardCharsets.UTF_8);
      long refreshes = calls.stream().filter(line -> line.split(" ")[1].equals("v2")).count();
      long loads = calls.stream().filter(line -> line.split(" ")[1].equals("v1")).count();
      StringBuilder figure = new StringBuilder("FIGURE distributed-lock: upstream calls across " + JVMS
          + " JVMs: " + loads + " warm-up loads (v1), " + refreshes + " refreshes (v2) " + calls + ", go at " + go
          + ";");
      for (int i = 0; i < JVMS; i++) {
        ForkedRun run = runs.get(i);
        figure.append(" jvm-").append(i + 1).append(": v1/v2 served ").append(run.result("v1Calls")).append('/')
            .append(run.result("v2Calls")).append(", first v2 ").append(run.result("firstV2AfterMillis"))
            .append(" ms after go, final ").append(run.result("final")).append(';');
      }
      System.out.println(figure);

      for (int i = 0; i < JVMS; i++) {
        ForkedRun run = runs.get(i);
        run.assertHealthyAgent();
        assertThat(run.longResult("failures")).as(run.context("calls that threw in jvm-" + (i + 1))).isZero();
        assertThat(run.longResult("otherValues")).as(run.context("values neither v1 nor v2")).isZero();
        assertThat(run.result("final")).as(run.context("jvm-" + (i + 1) + "'s value after the hammering"))
            .isEqualTo("eu@v2");
      }
      assertThat(refreshes).as("refreshes (v2 upstream calls) across all JVMs, from " + dir.resolve(Headline.CALL_LOG)
          + ": " + calls).isEqualTo(1);
      assertThat(loads).as("warm-up loads (v1): each JVM loads or finds the value in Redis: " + calls)
          .isBetween(1L, (long) JVMS);
    }
  }
}
