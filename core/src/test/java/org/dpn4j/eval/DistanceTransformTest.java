package org.dpn4j.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceTransformTest {

  @Test
  void oneSiteByHand() {
    boolean[] sites = new boolean[4 * 3];
    sites[1 * 4 + 2] = true; // (x, y) = (2, 1)
    long[] expected = {
      5, 2, 1, 2,
      4, 1, 0, 1,
      5, 2, 1, 2
    };
    assertArrayEquals(expected, DistanceTransform.squared(sites, 4, 3));
  }

  @Test
  void noSiteGivesNoSiteEverywhere() {
    long[] d = DistanceTransform.squared(new boolean[6], 3, 2);
    long[] expected = new long[6];
    Arrays.fill(expected, DistanceTransform.NO_SITE);
    assertArrayEquals(expected, d);
  }

  @Test
  void matchesBruteForceOnRandomMasks() {
    Random random = new Random(42);
    int[][] sizes = {{1, 1}, {1, 9}, {9, 1}, {13, 9}, {40, 31}, {64, 7}};
    double[] densities = {0.002, 0.02, 0.2, 0.6, 1};
    for (int[] size : sizes) {
      for (double density : densities) {
        int w = size[0];
        int h = size[1];
        boolean[] sites = new boolean[w * h];
        for (int i = 0; i < sites.length; i++) {
          sites[i] = random.nextDouble() < density;
        }
        assertArrayEquals(
            bruteForce(sites, w, h),
            DistanceTransform.squared(sites, w, h),
            w + " x " + h + " at density " + density);
      }
    }
  }

  @Test
  void rejectsAMismatchedGrid() {
    assertThrows(
        IllegalArgumentException.class, () -> DistanceTransform.squared(new boolean[5], 2, 3));
  }

  private static long[] bruteForce(boolean[] sites, int w, int h) {
    long[] d = new long[w * h];
    Arrays.fill(d, DistanceTransform.NO_SITE);
    for (int p = 0; p < d.length; p++) {
      for (int s = 0; s < d.length; s++) {
        if (sites[s]) {
          long dx = p % w - s % w;
          long dy = p / w - s / w;
          d[p] = Math.min(d[p], dx * dx + dy * dy);
        }
      }
    }
    return d;
  }
}
