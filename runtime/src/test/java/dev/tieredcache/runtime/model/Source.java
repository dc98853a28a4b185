package dev.tieredcache.runtime.model;

import java.util.List;

/** What the original method does for one key now: return version n of its value, return null, or throw. */
final class Source {

  enum Kind { VALUE, NULL, THROWS }

  final Kind kind;
  /** The version returned in {@link Kind#VALUE}, and the one a recovery returns to. */
  final int version;

  private Source(Kind kind, int version) {
    this.kind = kind;
    this.version = version;
  }

  static Source initial() {
    return new Source(Kind.VALUE, 1);
  }

  Source newValue() {
    return new Source(Kind.VALUE, version + 1);
  }

  Source recovered() {
    return new Source(Kind.VALUE, version);
  }

  Source throwing() {
    return new Source(Kind.THROWS, version);
  }

  Source returningNull() {
    return new Source(Kind.NULL, version);
  }

  /** The value of {@code key} in {@link Kind#VALUE}, as the model remembers it (immutable). */
  List<String> value(String key) {
    return List.of(key, "v" + version);
  }

  @Override
  public String toString() {
    switch (kind) {
      case VALUE:
        return "returns v" + version;
      case NULL:
        return "returns null";
      default:
        return "throws";
    }
  }
}
