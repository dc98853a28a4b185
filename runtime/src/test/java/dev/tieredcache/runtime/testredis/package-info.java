/**
 * Real {@code redis-server} processes for tests: {@link dev.tieredcache.runtime.testredis.RedisServer} (one
 * standalone server that can be killed, paused, resumed and restarted on its port),
 * {@link dev.tieredcache.runtime.testredis.RedisCluster} (three masters sharing the 16384 slots) and
 * {@link dev.tieredcache.runtime.testredis.RedisSentinelGroup} (master, replica and one sentinel that fails over).
 *
 * <p>Every process listens on 127.0.0.1 on a free port chosen at start, never on 6379, keeps nothing on disk
 * outside its own temporary directory, and writes its log there; a start that fails names the command line and
 * quotes the log tail. No process outlives the JVM that started it: a shutdown hook kills them all, and a small
 * watchdog process kills them too when the JVM itself is killed (see {@code ProcessReaper}).
 *
 * <p>Only {@code redis-server} and {@code redis-cli} must be on the {@code PATH} (Redis 7; a sentinel runs as
 * {@code redis-server <conf> --sentinel}, so no {@code redis-sentinel} binary is needed). The package is shipped in
 * the runtime module's test-jar, so {@code integration-tests} uses the same fixtures.
 */
package dev.tieredcache.runtime.testredis;
