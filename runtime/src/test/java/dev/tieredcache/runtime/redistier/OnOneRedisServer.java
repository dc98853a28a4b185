package dev.tieredcache.runtime.redistier;

import dev.tieredcache.runtime.redis.RedisConfig;
import dev.tieredcache.runtime.testredis.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import redis.clients.jedis.Jedis;

/**
 * A test class whose tests share one redis-server process: emptied before each test, which gets its own
 * {@link Instances} on it (timeout 200 ms) and a hand-moved wall clock.
 */
abstract class OnOneRedisServer {

  static RedisServer server;
  /** A plain client, to look at (or tamper with) what the instances store. */
  static Jedis jedis;

  final ManualWallClock clock = new ManualWallClock();
  Instances instances;

  @BeforeAll
  static void startRedis() {
    server = RedisServer.start();
    jedis = new Jedis(server.hostAndPort());
  }

  @AfterAll
  static void stopRedis() {
    jedis.close();
    server.close();
  }

  @BeforeEach
  void openInstances() {
    jedis.flushAll();
    instances = new Instances(RedisConfig.url(server.url(), Duration.ofMillis(200)));
  }

  @AfterEach
  void closeInstances() {
    instances.close();
  }
}
