package dev.tieredcache.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The futures that callers of a method returning {@code CompletableFuture} or {@code CompletionStage} get while a
 * load runs. Nothing is decided here: {@link RuleCache} decides, with the same {@link StaleDecision},
 * {@link Flights}, {@link ErrorBackoff} and {@link Handout} as for any method, what a caller gets once the outcome
 * is known; this class only defers that answer until a future completes, so that no caller blocks on it.
 *
 * <p>Each caller gets a new future: one caller completing, obtruding or cancelling its own changes nothing for the
 * others nor for the load.
 */
final class FutureLoads {

  private FutureLoads() {}

  /** Calls the method uncached for a caller: its future, or the method's own exception. */
  @FunctionalInterface
  interface PlainCall {
    Object call() throws Throwable;
  }

  /**
   * A future for a caller that completes when {@code outcome} does. Then {@code answer} (given the outcome's value
   * and exception) says what the caller gets: {@link RuleCache#AS_CALLED} for the outcome as it is (the very
   * exception, unwrapped or not, that it completed with), a value ({@link RuleCache#NULL_VALUE} for {@code null}),
   * or {@code null} for a plain call of the method, whose future the caller's then follows.
   *
   * @param plainCall what a {@code null} answer runs; {@code null} when {@code answer} never gives one
   */
  static CompletableFuture<Object> whenDone(CompletionStage<?> outcome, BiFunction<Object, Throwable, Object> answer,
      PlainCall plainCall) {
    CompletableFuture<Object> given = new CompletableFuture<>();
    outcome.whenComplete((value, error) -> {
      Object answered;
      try {
        answered = answer.apply(value, error);
      } catch (Throwable internal) {
        answered = plainCall == null ? RuleCache.AS_CALLED : null;
      }
      if (answered == RuleCache.AS_CALLED) {
        if (error != null) {
          given.completeExceptionally(error);
        } else {
          given.complete(value);
        }
      } else if (answered == null) {
        follow(plainCall, given);
      } else {
        given.complete(answered == RuleCache.NULL_VALUE ? null : answered);
      }
    });
    return given;
  }

  /** Completes {@code given} as the future that {@code plainCall} returns does (or with what it throws). */
  static void follow(PlainCall plainCall, CompletableFuture<Object> given) {
    Object returned;
    try {
      returned = plainCall.call();
    } catch (Throwable thrown) {
      given.completeExceptionally(thrown);
      return;
    }
    if (returned instanceof CompletionStage) {
      ((CompletionStage<?>) returned).whenComplete((value, error) -> {
        if (error != null) {
          given.completeExceptionally(error);
        } else {
          given.complete(value);
        }
      });
    } else {
      given.complete(returned);
    }
  }
}
