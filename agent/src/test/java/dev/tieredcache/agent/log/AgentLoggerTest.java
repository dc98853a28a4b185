package dev.tieredcache.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentLoggerTest {

  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void captureStderr() {
    stderr = System.err;
    System.setErr(new PrintStream(written, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(stderr);
    AgentLog.setLevel("info");
  }

  private String output() {
    return written.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLibrarysWarningIsHiddenAtTheDefaultLevel() {
    AgentLog.setLevel("info");
    AgentLogger pool = new AgentLogger("dev.tieredcache.shaded.jedis.jedis.ConnectionFactory");

    pool.warn("Error while validating pooled Connection object.", new IllegalStateException("Read timed out"));
    pool.info("something routine");

    assertThat(pool.isWarnEnabled()).isFalse();
    assertThat(output()).isEmpty();
  }

  @Test
  void aLibrarysWarningIsWrittenAtDebugWhenTheLevelIsDebug() {
    AgentLog.setLevel("debug");
    AgentLogger pool = new AgentLogger("redis.clients.jedis.ConnectionFactory");

    pool.warn("Error while validating pooled Connection object.");

    assertThat(output()).startsWith("[tiered-cache] DEBUG Error while validating pooled Connection object.");
  }

  @Test
  void aLibrarysErrorAndTheAgentsOwnWarningsKeepTheirLevel() {
    AgentLog.setLevel("info");

    new AgentLogger("dev.tieredcache.shaded.pool2.impl.GenericObjectPool").error("broken");
    new AgentLogger("dev.tieredcache.shaded.runtime.redis.CircuitBreaker").warn("Redis skipped");
    new AgentLogger("dev.tieredcache.agent.AgentStartup").info("started");

    assertThat(output().lines()).containsExactly("[tiered-cache] ERROR broken", "[tiered-cache] WARN Redis skipped",
        "[tiered-cache] INFO started");
  }

  @Test
  void agentOwnNames() {
    assertThat(AgentLogger.isAgentOwn("dev.tieredcache.agent.instrument.SiteDispatcher")).isTrue();
    assertThat(AgentLogger.isAgentOwn("dev.tieredcache.runtime.RuleCache")).isTrue();
    assertThat(AgentLogger.isAgentOwn("dev.tieredcache.shaded.runtime.RuleCache")).isTrue();
    assertThat(AgentLogger.isAgentOwn("dev.tieredcache.shaded.caffeine.cache.BoundedLocalCache")).isFalse();
    assertThat(AgentLogger.isAgentOwn("redis.clients.jedis.Connection")).isFalse();
  }
}
