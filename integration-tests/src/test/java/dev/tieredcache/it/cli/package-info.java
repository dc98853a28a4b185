/**
 * The command line of the built jar ({@code java -jar tiered-cache-agent.jar ...}) against host applications running
 * in forked JVMs on each tested JDK: attach, list, stats, detach, their messages and exit statuses.
 */
package dev.tieredcache.it.cli;
