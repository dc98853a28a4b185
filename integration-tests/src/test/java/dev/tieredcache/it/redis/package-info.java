/**
 * The Redis tier in forked JVMs: real {@code redis-server} processes (the runtime's
 * {@code dev.tieredcache.runtime.testredis} fixtures, never the shared server on 6379), the built agent jar, and the
 * sample apps of {@code dev.tieredcache.it.redisapps}. Values shared between JVMs, Redis killed, restarted and
 * paused under load, one refresh across JVMs with the distributed lock, unreadable and forbidden payloads, Cluster
 * and Sentinel. Each test prints the figures it measured as {@code FIGURE} lines on the test JVM's stdout.
 */
package dev.tieredcache.it.redis;
