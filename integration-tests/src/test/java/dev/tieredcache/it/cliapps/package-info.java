/**
 * Sample host applications that the command line attaches to while they run (see {@code dev.tieredcache.it.cli}):
 * they take commands on their standard input and report what they counted.
 */
package dev.tieredcache.it.cliapps;
