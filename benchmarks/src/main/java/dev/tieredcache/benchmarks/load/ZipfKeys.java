package dev.tieredcache.benchmarks.load;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** Keys {@code 0..n-1} drawn with Zipf's law (key {@code k} with weight {@code 1/(k+1)^s}): a few hot keys, a long tail. */
final class ZipfKeys {

  private final double[] cumulative;

  ZipfKeys(int n, double exponent) {
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
  }

  long next() {
    double u = ThreadLocalRandom.current().nextDouble();
    int at = Arrays.binarySearch(cumulative, u);
    return at >= 0 ? at : Math.min(cumulative.length - 1, -at - 1);
  }
}
