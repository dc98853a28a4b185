package dev.tieredcache.runtime.redistier;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A plain value class as applications have them: not Serializable, no no-arg constructor, final fields. */
final class Parcel {

  enum Size { SMALL, LARGE }

  private final String id;
  private final int grams;
  private final Size size;
  private final List<String> labels;
  private final Instant shippedAt;

  Parcel(String id, int grams, Size size, List<String> labels, Instant shippedAt) {
    this.id = Objects.requireNonNull(id, "a parcel has an id");
    this.grams = grams;
    this.size = size;
    this.labels = labels;
    this.shippedAt = shippedAt;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Parcel)) {
      return false;
    }
    Parcel p = (Parcel) o;
    return id.equals(p.id) && grams == p.grams && size == p.size && Objects.equals(labels, p.labels)
        && Objects.equals(shippedAt, p.shippedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, grams, size, labels, shippedAt);
  }

  @Override
  public String toString() {
    return "Parcel{" + id + ", " + grams + " g, " + size + ", " + labels + ", " + shippedAt + "}";
  }
}
