package dev.tieredcache.it.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tieredcache.it.AgentCli;
import dev.tieredcache.it.ForkedJvm;
import dev.tieredcache.it.ForkedRun;
import dev.tieredcache.it.LiveJvm;
import dev.tieredcache.it.TestJdk;
import dev.tieredcache.it.apps.HitAfterLoadApp;
import dev.tieredcache.it.cliapps.LiveCatalogApp;
import dev.tieredcache.runtime.redis.RedisUrl;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Product contract §6: a password never appears in a log line, an exception message or CLI output. The agent runs in
 * forked JVMs with passwords given every way the rules file allows (raw in the URL, with the characters that break
 * URL parsers, in {@code password:} from the environment), against a server that refuses them or is down, so the
 * start-up line, connection failures and circuit-breaker warnings are all printed at debug level; the command line's
 * {@code validate}, {@code list} and {@code stats} read the same files and JVMs. No line of any of it holds the
 * password, in any of its forms. Run on the test JVM's Java only.
 */
class SecretsNeverPrintedTest {

  private static final String PRICE_METHOD = "dev.tieredcache.it.apps.SlowCatalog#price(java.lang.String)";
  /** The line CircuitBreaker writes when it opens. */
  private static final String BREAKER_OPENS = "times in a row";

  @TempDir
  Path dir;

  private static String[] rules(String... redisLines) {
    List<String> lines = new ArrayList<>(List.of("namespace: secrets", "log-level: debug"));
    lines.addAll(List.of(redisLines));
    lines.addAll(List.of("backplane: true", "rules:", "  - name: price", "    method: " + PRICE_METHOD,
        "    key: \"{0}\""));
    return lines.toArray(new String[0]);
  }

  /** The password, and the forms a careless message could show it in. */
  private static List<String> forms(String password) {
    List<String> forms = new ArrayList<>(List.of(password, URLEncoder.encode(password, StandardCharsets.UTF_8)));
    // the longest run without URL syntax: what a message that cut the URL at '@', '/' or ':' would still show
    String longest = "";
    for (String piece : password.split("[@/:?#]")) {
      if (piece.length() > longest.length()) {
        longest = piece;
      }
    }
    if (longest.length() >= 6) {
      forms.add(longest);
    }
    return forms;
  }

  private static void assertNeverPrinted(ForkedRun run, String what, String password) {
    for (String form : forms(password)) {
      assertThat(run.stdout()).as(run.context(what + ": stdout must not hold '" + form + "'"))
          .noneMatch(line -> line.contains(form));
      assertThat(run.stderr()).as(run.context(what + ": stderr must not hold '" + form + "'"))
          .noneMatch(line -> line.contains(form));
    }
  }

  /** Runs the app against a Redis that refuses or misses, then list, stats and validate against the same. */
  private void runAppAndCommandLine(ForkedJvm jvm, AgentCli cli, String password) {
    ForkedRun validate = cli.run("validate", jvm.rulesFile().toString());
    assertThat(validate.exitCode()).as(validate.context("validate of a valid file")).isZero();
    assertNeverPrinted(validate, "validate", password);

    ForkedRun app;
    try (LiveJvm live = jvm.start(LiveCatalogApp.class)) {
      live.command("loop");
      LiveJvm.pause(1_500);
      ForkedRun stats = cli.run("stats", String.valueOf(live.pid()));
      assertThat(stats.exitCode()).as(stats.context("exit status of stats")).isZero();
      assertThat(stats.stdout()).as(stats.context("stats names Redis, masked")).anyMatch(
          line -> line.startsWith("redis:") && line.contains("***"));
      assertNeverPrinted(stats, "stats", password);
      ForkedRun list = cli.run("list");
      assertThat(list.exitCode()).as(list.context("exit status of list")).isZero();
      assertNeverPrinted(list, "list", password);
      live.command("pause");
      app = live.stop();
    }
    assertThat(app.stderr()).as(app.context("the breaker opened, and said so")).anyMatch(
        line -> line.contains(BREAKER_OPENS) && line.contains("***"));
    assertThat(app.stderr()).as(app.context("the start-up line names Redis, masked")).anyMatch(
        line -> line.contains("redis") && line.contains("***"));
    assertNeverPrinted(app, "the app with the agent", password);
  }

  @ParameterizedTest(name = "[{index}]") // the arguments are passwords: test reports must not show them
  @ValueSource(strings = {"S3cr/et@pw", "p%ss w0rd:100%", "ünï@c/de?#pass"})
  void rawPasswordInTheUrlIsNeverPrintedWhenRedisRefusesIt(String password) {
    try (RedisServer redis = RedisServer.builder().password("another-password").start()) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir).rules(rules(
          "redis: {url: \"redis://:" + password + "@127.0.0.1:" + redis.port() + "\", timeout: 200ms}"));
      runAppAndCommandLine(jvm, AgentCli.on(TestJdk.testJvm(), dir), password);
    }
  }

  @Test
  void passwordFromTheEnvironmentIsNeverPrintedWhenRedisIsDown() {
    String password = "env-S3cr/et@pw";
    int port;
    try (RedisServer gone = RedisServer.start()) {
      port = gone.port();
    }
    ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir).environment("REDIS_PASSWORD", password)
        .rules(rules("redis:", "  url: redis://127.0.0.1:" + port, "  username: app",
            "  password: ${REDIS_PASSWORD}", "  timeout: 200ms"));
    runAppAndCommandLine(jvm, AgentCli.on(TestJdk.testJvm(), dir).environment("REDIS_PASSWORD", password),
        password);
  }

  @Test
  void malformedUrlIsReportedWithoutItsPassword() {
    String password = "S3cr/et@pw";
    for (String url : List.of("http://:" + password + "@127.0.0.1:6399", "redis://:" + password + "@127.0.0.1:63x9",
        "redis://:" + password + " %@127.0.0.1:6399/db")) {
      ForkedJvm jvm = ForkedJvm.on(TestJdk.testJvm(), dir).rules(rules("redis: {url: \"" + url + "\"}"));
      ForkedRun refused = jvm.run(HitAfterLoadApp.class);
      assertThat(refused.stderr()).as(refused.context("the agent names the URL, masked"))
          .anyMatch(line -> line.contains("redis url '") && line.contains("***@127.0.0.1"));
      assertNeverPrinted(refused, "start-up with " + RedisUrl.mask(url), password);
      ForkedRun validate = AgentCli.on(TestJdk.testJvm(), dir).run("validate", jvm.rulesFile().toString());
      assertThat(validate.exitCode()).as(validate.context("validate of a malformed URL")).isEqualTo(1);
      assertNeverPrinted(validate, "validate with " + RedisUrl.mask(url), password);
    }
  }

  @Test
  void aclUserGivenApartFromTheUrlIsUsedAndNeverPrinted() {
    String password = "acl-S3cr/et@pw with space";
    try (RedisServer redis = RedisServer.builder().aclUser("app", password).start()) {
      ForkedRun run = ForkedJvm.on(TestJdk.testJvm(), dir).environment("REDIS_PASSWORD", password)
          .rules(rules("redis:", "  url: " + redis.url(), "  username: app", "  password: \"${REDIS_PASSWORD}\"",
              "  timeout: 500ms"))
          .run(HitAfterLoadApp.class);
      run.assertHealthyAgent();
      assertThat(run.result("upstreamCalls")).isEqualTo("1");
      assertThat(run.stderr()).as(run.context("no Redis failure")).noneMatch(line -> line.contains(BREAKER_OPENS));
      assertNeverPrinted(run, "the app over an ACL user", password);
      try (Jedis jedis = redis.client(1000)) {
        assertThat(jedis.keys("secrets:price:*")).as("the value reached Redis").isNotEmpty();
      }
    }
  }
}
