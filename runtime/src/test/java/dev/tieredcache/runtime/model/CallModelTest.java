package dev.tieredcache.runtime.model;

import dev.tieredcache.runtime.testredis.RedisServer;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.state.ActionChain;

/**
 * Model-based test of SPEC §4: random sequences of calls, time, upstream changes, background work, evictions (here
 * and from another instance), callers changing what they got and Redis outages, played on the real runtime
 * ({@link LiveRuntime}) and on {@link CallModel} side by side ({@link ModelRun}); any difference fails, and jqwik
 * shrinks the sequence and prints it with the first differing step. One property per {@code tiers:} setting (the
 * Redis ones on a real redis-server), each crossing copy-on-read, cache-nulls, the rule's time windows and when
 * background refreshes run. The steps are in {@link Steps}.
 *
 * <p>{@code -Dmodel.tries=100000} runs more sequences per property; {@code -Dmodel.steps=N} allows longer ones.
 */
@AddLifecycleHook(value = TriesFromSystemProperty.class, propagateTo = PropagationMode.DIRECT_DESCENDANTS)
class CallModelTest {

  private static final AtomicInteger RUNS = new AtomicInteger();
  private static RedisServer redis;

  private ModelRun current;
  private Setting setting;

  @Property(tries = 2000)
  void memoryTierAgreesWithTheModel(@ForAll boolean copyOnRead, @ForAll boolean cacheNulls,
      @ForAll Setting.Windows windows, @ForAll Setting.Pool pool, @ForAll("steps") ActionChain<ModelRun> steps) {
    play(new Setting(Setting.Tiers.MEMORY, copyOnRead, cacheNulls, windows, pool), steps);
  }

  @Property(tries = 2000)
  void memoryAndRedisTiersAgreeWithTheModel(@ForAll boolean copyOnRead, @ForAll boolean cacheNulls,
      @ForAll Setting.Windows windows, @ForAll Setting.Pool pool, @ForAll("steps") ActionChain<ModelRun> steps) {
    play(new Setting(Setting.Tiers.MEMORY_AND_REDIS, copyOnRead, cacheNulls, windows, pool), steps);
  }

  @Property(tries = 2000)
  void redisTierAloneAgreesWithTheModel(@ForAll boolean copyOnRead, @ForAll boolean cacheNulls,
      @ForAll Setting.Windows windows, @ForAll Setting.Pool pool, @ForAll("steps") ActionChain<ModelRun> steps) {
    play(new Setting(Setting.Tiers.REDIS, copyOnRead, cacheNulls, windows, pool), steps);
  }

  /**
   * The steps of one run. A chain is generated while it runs, so its first state (a run of the setting this try
   * drew, see {@link #play}) is made then; its actions' preconditions read that setting.
   */
  @Provide
  Arbitrary<ActionChain<ModelRun>> steps() {
    return Steps.chains(() -> open(setting));
  }

  private void play(Setting setting, ActionChain<ModelRun> steps) {
    this.setting = setting;
    steps.run();
  }

  private ModelRun open(Setting setting) {
    closeRun();
    RedisServer server = setting.tiers.redis() ? redis() : null;
    current = new ModelRun(setting, new LiveRuntime(setting, server, "m" + RUNS.incrementAndGet()));
    return current;
  }

  @AfterTry
  void closeRun() {
    if (current != null) {
      ModelRun run = current;
      current = null;
      run.close();
    }
  }

  private static synchronized RedisServer redis() {
    if (redis == null) {
      redis = RedisServer.start();
    }
    return redis;
  }

  @AfterContainer
  static synchronized void stopRedis() {
    if (redis != null) {
      redis.close();
      redis = null;
    }
  }
}
