package dev.tieredcache.runtime.codec;

import com.esotericsoftware.kryo.KryoException;
import java.util.Arrays;

/**
 * Checks the hash codes of decoded elements before they fill a hashed set or map, so that a payload cannot make
 * building it quadratic.
 *
 * <p>Elements that share one hash code land in one bucket of a {@code HashMap}; when they are not
 * {@code Comparable} (and in a {@code Hashtable} or the JDK's immutable sets and maps, always) each insertion
 * compares against every element already there. Strings sharing a hash code are easy to make ({@code "Aa"} and
 * {@code "BB"} do, and so does every string made of such blocks), so a payload could ask for n<sup>2</sup>/2
 * {@code equals} calls. More than {@value #MAX_SHARED_HASH} elements with one hash code are therefore refused;
 * ordinary data stays far below (among a million random strings, three sharing a hash code are already
 * unlikely).
 *
 * <p>The JDK's immutable sets and maps ({@code Set.of}, {@code Map.copyOf}) probe linearly from
 * {@code floorMod(hashCode, 2n)}, so distinct hash codes chosen to start at the same slot make them quadratic
 * too; {@link #probesCheaply} simulates that probing on the hash codes alone, and the caller builds another
 * unmodifiable collection when it would be expensive.
 */
final class HashSpread {

  /** Most elements of one hashed collection that may share a hash code. */
  static final int MAX_SHARED_HASH = 64;

  /** Probes per element (plus a constant) that the JDK's immutable sets and maps may take to be built. */
  private static final int MAX_PROBES_PER_ELEMENT = 8;

  private HashSpread() {}

  /** The elements' hash codes, sorted; {@code null} hashes as 0. */
  static int[] sortedHashes(Object[] elements) {
    int[] hashes = new int[elements.length];
    for (int i = 0; i < elements.length; i++) {
      hashes[i] = elements[i] == null ? 0 : elements[i].hashCode();
    }
    Arrays.sort(hashes);
    return hashes;
  }

  /** Refuses the elements when more than {@value #MAX_SHARED_HASH} of them share one hash code. */
  static int[] check(Object[] elements) {
    int[] hashes = sortedHashes(elements);
    int run = 1;
    for (int i = 1; i < hashes.length; i++) {
      run = hashes[i] == hashes[i - 1] ? run + 1 : 1;
      if (run > MAX_SHARED_HASH) {
        throw new KryoException("corrupt payload: more than " + MAX_SHARED_HASH + " elements of one hashed"
            + " collection share a hash code, which would make building it quadratic");
      }
    }
    return hashes;
  }

  /**
   * Whether the JDK's immutable set or map of elements with these hash codes is built with at most a few probes
   * per element: linear probing from {@code floorMod(hash, 2n)} in a table of {@code 2n} slots, as the
   * {@code SetN} and {@code MapN} of JDK 17 and 25 do (read with {@code javap}).
   */
  static boolean probesCheaply(int[] hashes) {
    int slots = 2 * hashes.length;
    if (slots == 0) {
      return true;
    }
    boolean[] used = new boolean[slots];
    long budget = (long) MAX_PROBES_PER_ELEMENT * hashes.length + 64;
    for (int hash : hashes) {
      int slot = Math.floorMod(hash, slots);
      while (used[slot]) {
        if (--budget < 0) {
          return false;
        }
        slot = slot + 1 == slots ? 0 : slot + 1;
      }
      used[slot] = true;
    }
    return true;
  }
}
