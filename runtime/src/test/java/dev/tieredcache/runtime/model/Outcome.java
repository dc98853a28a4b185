package dev.tieredcache.runtime.model;

import java.util.List;
import java.util.Objects;

/**
 * What one caller gets, as the model predicts it: a value, {@code null}, or the exception of a numbered upstream
 * call; with the reason in SPEC terms, for failure messages.
 */
final class Outcome {

  enum Kind { VALUE, NULL, THREW }

  final Kind kind;
  /** The value (for {@link Kind#VALUE}). */
  final List<String> value;
  /** The upstream call whose exception the caller gets (for {@link Kind#THREW}). */
  final int upstreamCall;
  /** Why, in the words of SPEC §4. */
  final String why;

  private Outcome(Kind kind, List<String> value, int upstreamCall, String why) {
    this.kind = kind;
    this.value = value;
    this.upstreamCall = upstreamCall;
    this.why = why;
  }

  /** The value {@code value} ({@code null} for a cached or loaded null). */
  static Outcome of(List<String> value, String why) {
    return value == null ? new Outcome(Kind.NULL, null, 0, why) : new Outcome(Kind.VALUE, value, 0, why);
  }

  static Outcome threw(int upstreamCall, String why) {
    return new Outcome(Kind.THREW, null, upstreamCall, why);
  }

  /** True if the caller's actual result ({@code value}, or {@code error} when it threw) is this outcome. */
  boolean matches(Object value, Throwable error) {
    switch (kind) {
      case VALUE:
        return error == null && Objects.equals(this.value, value);
      case NULL:
        return error == null && value == null;
      default:
        return error instanceof UpstreamFailure && ((UpstreamFailure) error).call == upstreamCall;
    }
  }

  /** The outcome without the reason. */
  String result() {
    switch (kind) {
      case VALUE:
        return value.toString();
      case NULL:
        return "null";
      default:
        return "throws the exception of upstream call #" + upstreamCall;
    }
  }

  @Override
  public String toString() {
    return result() + " (" + why + ")";
  }

  /** An actual result in the same words. */
  static String describe(Object value, Throwable error) {
    if (error == null) {
      return String.valueOf(value);
    }
    if (error instanceof UpstreamFailure) {
      return "throws the exception of upstream call #" + ((UpstreamFailure) error).call;
    }
    return "throws " + error;
  }
}
