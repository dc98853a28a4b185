package dev.tieredcache.runtime.model;

import java.util.List;

/**
 * The instrumented type of the model runs: its implementation caches {@link #find} through the runtime, and a JDK
 * proxy of it (which the agent instruments too, SPEC §3 {@code Type+}) caches the same method with the same rule
 * and key before it reaches the implementation.
 */
interface Catalog {

  List<String> find(String key) throws UpstreamFailure;
}
