/**
 * Sample host applications of the Redis scenarios, run in forked JVMs by the tests in
 * {@code dev.tieredcache.it.redis}. They know nothing of the agent or of Redis: they call their upstreams, report
 * what they saw as {@code RESULT} lines, and follow the test's phases through {@link
 * dev.tieredcache.it.redisapps.SignalFiles} in their working directory.
 */
package dev.tieredcache.it.redisapps;
