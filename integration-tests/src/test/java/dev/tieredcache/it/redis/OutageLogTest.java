package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.LiveJvm;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.redisapps.ContinuousLoadApp;
import dev.tieredcache.it.redisapps.SignalFiles;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Redis outage that lasts several probe and reconnection periods, under an application calling without pause, is
 * logged once when it starts and once when it ends, for the circuit breaker and for the backplane alike: the failed
 * probes and reconnection attempts in between go to DEBUG. Run on the test JVM's Java only: it takes seconds of real
 * time and what it tests does not depend on the Java version.
 */
class OutageLogTest {

  private static final String PRICE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";
  private static final Predicate<String> BREAKER_OPENS = l -> l.contains(" failed ") && l.contains("times in a row");
  private static final Predicate<String> BREAKER_CLOSES = l -> l.contains("answers again; using it again");
  private static final Predicate<String> BACKPLANE_LOST = l -> l.contains("backplane subscription to outage-log:")
      && l.contains(" dropped (");
  private static final Predicate<String> BACKPLANE_BACK = l -> l.contains("backplane subscription to outage-log:")
      && l.contains(" is back; ");

  @TempDir
  Path dir;

  /**
   * {@code kill}: the server is killed for 6 s, then restarted: the breaker's probes (after 1, 2 then 4 s open) and
   * the backplane's reconnections (backoff 0.1 s doubling) fail several times each, on refused connections.
   * {@code pause}: the server is stopped (SIGSTOP) for 12 s: connections stay open and nothing answers, so calls time
   * out, the backplane's keepalive finds its PING unanswered and breaks the subscription, and the SUBSCRIBE of a
   * reconnection is not confirmed.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"kill", "pause"})
  void anOutageIsLoggedOnceLostAndOnceBackForTheBreakerAndTheBackplane(String fault) {
    SignalFiles signals = SignalFiles.in(dir);
    try (RedisServer redis = RedisServer.start()) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir)
          .rules("namespace: outage-log",
              "log-level: debug",
              "redis: {url: " + redis.url() + ", timeout: 200ms}",
              "backplane: true",
              "rules:",
              "  - name: price",
              "    method: " + PRICE_METHOD,
              "    key: \"{0}\"",
              "    ttl: 100ms",
              "    jitter: 0%",
              "    stale-while-revalidate: 0s");
      try (LiveJvm app = jvm.start(ContinuousLoadApp.class, "killed", "restarted")) {
        Awaitility.await("the app's calls running").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
            .until(() -> signals.isRaised("running"));
        Awaitility.await("the backplane subscribed").atMost(Duration.ofSeconds(10))
            .until(() -> app.snapshot().agentLines("INFO").stream().anyMatch(l -> l.contains("backplane subscribed")));
        LiveJvm.pause(500);
        if (fault.equals("kill")) {
          redis.kill();
          signals.raise("killed");
          LiveJvm.pause(6_000);
          redis.restart();
        } else {
          redis.pause();
          signals.raise("killed");
          LiveJvm.pause(12_000);
          redis.resume();
        }
        signals.raise("restarted");
        Awaitility.await("the breaker closed and the backplane back").atMost(Duration.ofSeconds(25))
            .pollInterval(Duration.ofMillis(100)).until(() -> {
              ForkedRun now = app.snapshot();
              return now.agentLines("INFO").stream().anyMatch(BREAKER_CLOSES)
                  && now.agentLines("INFO").stream().anyMatch(BACKPLANE_BACK);
            });
        LiveJvm.pause(500);
        signals.raise("stop");
        ForkedRun run = app.stop();

        run.assertHealthyAgent();
        assertThat(run.longResult("failures")).as(run.context("calls that threw")).isZero();
        assertThat(lines(run, "WARN", BREAKER_OPENS)).as(run.context("the breaker opening: one WARN")).hasSize(1);
        assertThat(lines(run, "INFO", BREAKER_CLOSES)).as(run.context("the breaker closing: one INFO")).hasSize(1);
        assertThat(lines(run, "WARN", BACKPLANE_LOST)).as(run.context("the backplane lost: one WARN")).hasSize(1);
        assertThat(lines(run, "INFO", BACKPLANE_BACK)).as(run.context("the backplane back: one INFO")).hasSize(1);
        assertThat(lines(run, "DEBUG", l -> l.contains("still failing"))).as(run.context("failed probes in between,"
            + " at DEBUG")).isNotEmpty();
        if (fault.equals("kill")) {
          assertThat(lines(run, "DEBUG", l -> l.contains("backplane still not subscribed")))
              .as(run.context("failed reconnections in between, at DEBUG")).hasSizeGreaterThanOrEqualTo(3);
        } else {
          assertThat(lines(run, "DEBUG", l -> l.contains("does not answer PING")))
              .as(run.context("the keepalive's finding, at DEBUG")).hasSize(1);
        }
        assertThat(run.agentLines("WARN")).as(run.context("no other warning during the outage"))
            .allMatch(BREAKER_OPENS.or(BACKPLANE_LOST));
      }
    }
  }

  private static List<String> lines(ForkedRun run, String level, Predicate<String> which) {
    return run.agentLines(level).stream().filter(which).collect(Collectors.toList());
  }
}
