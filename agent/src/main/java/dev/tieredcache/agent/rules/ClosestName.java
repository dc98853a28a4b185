package dev.tieredcache.agent.rules;

import java.util.Collection;
import java.util.Optional;

/** Finds the known name a misspelt one was meant to be, for "did you mean" hints. */
public final class ClosestName {

  /** Two edits catch the usual typos ({@code tll}, {@code stale-while-revalidte}) without wild guesses. */
  private static final int MAX_DISTANCE = 2;

  private ClosestName() {}

  /** The candidate nearest to {@code name} within two edits (ties: the first candidate), if any. */
  public static Optional<String> to(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = MAX_DISTANCE + 1;
    for (String candidate : candidates) {
      int d = distance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Edit distance counting insertions, deletions, substitutions and swaps of adjacent characters (optimal string
   * alignment), so {@code tll} is one edit from {@code ttl}.
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
