package dev.tieredcache.runtime.model;

import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The steps of a model run, as jqwik actions with their weights: calls (directly, through the JDK proxy, with a
 * second caller arriving while one loads), time passing (fixed steps and steps to the exact limits of a key's
 * value), the upstream changing, background work running, evictions here and from another instance, callers
 * changing what they got, and Redis going away and coming back. Two families of chains: every kind of step over two
 * keys, and one key whose upstream keeps failing and recovering (error-backoff needs several failures of one value
 * in a row, which the first family rarely reaches).
 */
final class Steps {

  /** Each chain has up to this many steps, unless {@code -Dmodel.steps} says otherwise. */
  static final int MAX_STEPS = Integer.getInteger("model.steps", 32);

  private Steps() {}

  /** Both families; {@code open} starts a run (one per chain), whose setting the preconditions read. */
  static Arbitrary<ActionChain<ModelRun>> chains(Supplier<ModelRun> open) {
    return Arbitraries.frequencyOf(Tuple.of(2, everything(open)), Tuple.of(1, failuresInARow(open)));
  }

  /** Every kind of step, over keys a and b. */
  static ActionChainArbitrary<ModelRun> everything(Supplier<ModelRun> open) {
    Arbitrary<String> keys = Arbitraries.frequency(Tuple.of(3, "a"), Tuple.of(1, "b"));
    return ActionChain.startWith(open)
        .withAction(80, action(calls(keys)))
        .withAction(20, action(callsWithSecondCaller(keys), Steps::prompt))
        .withAction(30, action(timePasses(Arbitraries.of(1L, 500L, 1_000L, 5_000L, 10_000L, 20_000L, 45_000L,
            60_000L, 180_000L, 600_000L, 3_600_000L, 10_800_000L))))
        .withAction(40, action(timeToLimits(keys)))
        .withAction(40, action(upstreamChanges(keys, 3, 2, 1, 1)))
        .withAction(20, action(just("background work runs (every queued refresh)", run -> run.runBackground(true))))
        .withAction(10, action(just("one background refresh runs", run -> run.runBackground(false))))
        .withAction(10, action(just("one background refresh runs (a second caller of its key arrives while it"
            + " loads)", ModelRun::runBackgroundWithSecondCaller), Steps::prompt))
        .withAction(8, action(keyed(keys, key -> "evict " + key, (run, key) -> run.evict(key, false))))
        .withAction(3, action(just("evict all", run -> run.evictAll(false))))
        .withAction(6, action(keyed(keys, key -> "evict " + key + " (Redis applies the delete late)",
            (run, key) -> run.evict(key, true)), Steps::redisUp))
        .withAction(2, action(just("evict all (Redis applies the deletes late)", run -> run.evictAll(true)),
            Steps::redisUp))
        .withAction(5, action(keyed(keys, key -> "another instance evicts " + key, ModelRun::remoteEvict),
            Steps::backplaneUp))
        .withAction(2, action(just("another instance evicts all", ModelRun::remoteClear), Steps::backplaneUp))
        .withAction(15, action(just("the last caller changes the list it got", ModelRun::callerChangesWhatItGot),
            run -> run.setting.copyOnRead))
        // rare: each outage restarts redis-server (50-100 ms on this kind of machine)
        .withAction(1, action(just("Redis goes away", ModelRun::redisGoesAway), Steps::redisUp))
        .withAction(30, action(just("Redis comes back", ModelRun::redisComesBack), Steps::redisDown))
        .withMaxTransformations(MAX_STEPS);
  }

  /** Key a, whose upstream mostly fails: calls, time to its limits, background work, now and then an evict. */
  static ActionChainArbitrary<ModelRun> failuresInARow(Supplier<ModelRun> open) {
    Arbitrary<String> keys = Arbitraries.just("a");
    return ActionChain.startWith(open)
        .withAction(60, action(calls(keys)))
        .withAction(15, action(callsWithSecondCaller(keys), Steps::prompt))
        .withAction(20, action(timePasses(Arbitraries.of(1_000L, 5_000L, 10_000L, 20_000L, 45_000L, 120_000L,
            300_000L))))
        .withAction(50, action(timeToLimits(keys)))
        .withAction(25, action(upstreamChanges(keys, 4, 1, 2, 1)))
        .withAction(15, action(just("background work runs (every queued refresh)", run -> run.runBackground(true))))
        .withAction(10, action(just("one background refresh runs (a second caller of its key arrives while it"
            + " loads)", ModelRun::runBackgroundWithSecondCaller), Steps::prompt))
        .withAction(3, action(keyed(keys, key -> "evict " + key, (run, key) -> run.evict(key, false))))
        .withAction(3, action(keyed(keys, key -> "another instance evicts " + key, ModelRun::remoteEvict),
            Steps::backplaneUp))
        .withAction(10, action(just("the last caller changes the list it got", ModelRun::callerChangesWhatItGot),
            run -> run.setting.copyOnRead))
        .withAction(1, action(just("Redis goes away", ModelRun::redisGoesAway), Steps::redisUp))
        .withAction(30, action(just("Redis comes back", ModelRun::redisComesBack), Steps::redisDown))
        .withMaxTransformations(MAX_STEPS);
  }

  private static Arbitrary<Transformer<ModelRun>> calls(Arbitrary<String> keys) {
    return Combinators.combine(keys, Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)))
        .as((key, viaProxy) -> Transformer.mutate("call " + key + (viaProxy ? " through the proxy" : ""),
            run -> run.call(key, viaProxy, false)));
  }

  private static Arbitrary<Transformer<ModelRun>> callsWithSecondCaller(Arbitrary<String> keys) {
    return Combinators.combine(keys, Arbitraries.of(false, true))
        .as((key, viaProxy) -> Transformer.mutate("call " + key + (viaProxy ? " through the proxy" : "")
            + " (a second caller arrives while it loads)", run -> run.call(key, viaProxy, true)));
  }

  private static Arbitrary<Transformer<ModelRun>> timePasses(Arbitrary<Long> steps) {
    return steps.map(ms -> Transformer.mutate("time passes: +" + Setting.ms(ms), run -> run.timePasses(ms)));
  }

  private static Arbitrary<Transformer<ModelRun>> timeToLimits(Arbitrary<String> keys) {
    // the stale limit least: past it the value is gone, and the states before it are where the paths are
    Arbitrary<CallModel.Limit> limits = Arbitraries.frequency(Tuple.of(3, CallModel.Limit.FRESH),
        Tuple.of(3, CallModel.Limit.REVALIDATE), Tuple.of(4, CallModel.Limit.BACKOFF),
        Tuple.of(1, CallModel.Limit.STALE));
    return Combinators.combine(keys, limits, Arbitraries.of(0L, -1L, 1L))
        .as((key, limit, offset) -> Transformer.mutate("time moves to " + key + "'s " + limit.name().toLowerCase(
            Locale.ROOT) + " limit" + (offset == 0 ? "" : offset > 0 ? " +1ms" : " -1ms"),
            run -> run.timeToLimit(key, limit, offset)));
  }

  /** Changes of the upstream, with these weights: throws, returns a new value, recovers, returns null. */
  private static Arbitrary<Transformer<ModelRun>> upstreamChanges(Arbitrary<String> keys, int throwing,
      int newValue, int recovering, int returningNull) {
    Arbitrary<ModelRun.UpstreamChange> changes = Arbitraries.frequency(
        Tuple.of(throwing, ModelRun.UpstreamChange.THROWS), Tuple.of(newValue, ModelRun.UpstreamChange.NEW_VALUE),
        Tuple.of(recovering, ModelRun.UpstreamChange.RECOVERS),
        Tuple.of(returningNull, ModelRun.UpstreamChange.RETURNS_NULL));
    return Combinators.combine(keys, changes)
        .as((key, change) -> Transformer.mutate("upstream of " + key + ": " + change.name().toLowerCase(
            Locale.ROOT).replace('_', ' '), run -> run.upstreamChanges(key, change)));
  }

  private static Arbitrary<Transformer<ModelRun>> keyed(Arbitrary<String> keys,
      Function<String, String> description, BiConsumer<ModelRun, String> step) {
    return keys.map(key -> Transformer.mutate(description.apply(key), run -> step.accept(run, key)));
  }

  private static Arbitrary<Transformer<ModelRun>> just(String description, Consumer<ModelRun> step) {
    return Arbitraries.just(Transformer.mutate(description, step));
  }

  private static boolean prompt(ModelRun run) {
    return run.setting.pool == Setting.Pool.PROMPT;
  }

  /** The rule has a Redis tier and Redis is down. */
  private static boolean redisDown(ModelRun run) {
    return run.setting.tiers.redis() && !run.redisUp();
  }

  /** The rule has a Redis tier and Redis is up. */
  private static boolean redisUp(ModelRun run) {
    return run.setting.tiers.redis() && run.redisUp();
  }

  /** Another instance's evictions arrive over Redis: not while it is down. */
  private static boolean backplaneUp(ModelRun run) {
    return !run.setting.tiers.redis() || run.redisUp();
  }

  /** An action that applies in every state (no precondition: jqwik's shrinking removes such steps best). */
  private static Action.Independent<ModelRun> action(Arbitrary<Transformer<ModelRun>> transformers) {
    return () -> transformers;
  }

  private static Action.Independent<ModelRun> action(Arbitrary<Transformer<ModelRun>> transformers,
      Predicate<ModelRun> precondition) {
    return new Action.Independent<ModelRun>() {
      @Override
      public boolean precondition(ModelRun run) {
        return precondition.test(run);
      }

      @Override
      public Arbitrary<Transformer<ModelRun>> transformer() {
        return transformers;
      }
    };
  }
}
