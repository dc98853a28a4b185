/**
 * Sample host applications of the backplane scenarios, run in forked JVMs by the tests in
 * {@code dev.tieredcache.it.backplane}. Like the other sample apps they know nothing of the agent or of Redis: they
 * read and save products (or read and remove catalogue entries, render pages), report what they saw as
 * {@code RESULT} lines, and follow the test's phases through
 * {@link dev.tieredcache.it.redisapps.SignalFiles} in their working directory, which all the JVMs of a scenario
 * share.
 */
package dev.tieredcache.it.backplaneapps;
