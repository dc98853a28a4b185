package dev.tieredcache.benchmarks;

import dev.tieredcache.runtime.codec.EntryCodec;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import redis.clients.jedis.Jedis;

/**
 * A Redis hit through the agent (a {@code tiers: [redis]} rule: no memory tier, so every call reads Redis and
 * decodes) against what a hand-written client does for the same value: a Jedis {@code GET} of the same key and a
 * decode with the same codec. Starts a redis-server of its own on {@code BENCH_REDIS_PORT} (default 56391), which
 * the rules file names too; the agent finds it once its circuit breaker probes again.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "-javaagent:agent/target/tiered-cache-agent.jar=benchmarks/redis-hit-rules.yaml"})
@State(Scope.Benchmark)
public class RedisHitBenchmark {

  private static final String SKU = "sku-42";
  /** The rule's Redis key: {@code <namespace>:<rule>:<key>}. */
  private static final byte[] REDIS_KEY = ("bench:redis-product:" + SKU).getBytes(StandardCharsets.UTF_8);

  private final RedisCatalog catalog = new RedisCatalog();
  private Process redis;
  private Jedis jedis;
  private EntryCodec codec;

  @Setup(Level.Trial)
  public void start() throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("BENCH_REDIS_PORT", "56391"));
    if (answers(port)) {
      throw new IllegalStateException("something already listens on port " + port + "; set BENCH_REDIS_PORT");
    }
    redis = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--save", "", "--appendonly", "no")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    jedis = new Jedis("127.0.0.1", port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // the agent tried Redis before it ran and skips it for a while: call until the value is written there
    while (!redisHolds()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the agent never wrote the value to Redis (is the agent loaded?)");
      }
      catalog.product(SKU);
      Thread.sleep(100);
    }
    codec = new EntryCodec(CodecBenchmark.productCodec());
    long before = RedisCatalog.calls;
    for (int i = 0; i < 100; i++) {
      catalog.product(SKU);
    }
    if (RedisCatalog.calls != before) {
      throw new IllegalStateException("calls were not Redis hits: " + (RedisCatalog.calls - before) + " of 100");
    }
  }

  private boolean redisHolds() {
    try {
      return jedis.exists(REDIS_KEY);
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  private static boolean answers(int port) {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException nothing) {
      return false;
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    long before = RedisCatalog.calls;
    catalog.product(SKU);
    boolean stillHits = RedisCatalog.calls == before;
    jedis.close();
    redis.destroy();
    redis.waitFor(5, TimeUnit.SECONDS);
    if (!stillHits) {
      throw new IllegalStateException("the last call was not a Redis hit");
    }
  }

  /** The instrumented method: a Redis GET (bounded by max-value-size) and a decode, through the agent. */
  @Benchmark
  public Object agentRedisHit() {
    return catalog.product(SKU);
  }

  /** By hand: a Jedis GET of the same key and a decode of the same bytes with the same codec. */
  @Benchmark
  public Object jedisGetAndDecode() {
    return codec.decode(jedis.get(REDIS_KEY)).value();
  }
}
