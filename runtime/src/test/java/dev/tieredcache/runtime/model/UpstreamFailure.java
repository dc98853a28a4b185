package dev.tieredcache.runtime.model;

/** What the original method throws; each call throws a new one, numbered by the upstream call it came from. */
final class UpstreamFailure extends Exception {

  private static final long serialVersionUID = 1L;

  /** The number of the upstream call that threw it, counting every call of the run from 1. */
  final int call;

  UpstreamFailure(String key, int call) {
    super("upstream of " + key + " failed (upstream call #" + call + ")", null, false, false);
    this.call = call;
  }
}
