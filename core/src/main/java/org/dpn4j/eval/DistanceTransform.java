package org.dpn4j.eval;

/**
 * The exact squared Euclidean distance transform of Felzenszwalb and Huttenlocher ("Distance
 * Transforms of Sampled Functions", Theory of Computing 8, 2012): for every pixel p of a W x H
 * grid, D(p) = min over sites s of |p - s|^2 (pixel centres, integer coordinates), in O(W H).
 *
 * <p>A pass down each column gives the squared distance to the nearest site of that column; a pass
 * along each row then takes the lower envelope of the parabolas (x - q)^2 + f(q) rooted at the
 * columns q that have a site. Distances are exact integers.
 */
public final class DistanceTransform {

  /** The value of D where the grid has no site at all. */
  public static final long NO_SITE = Long.MAX_VALUE;

  private DistanceTransform() {}

  /**
   * Squared distances to the nearest site; {@code sites[y * width + x]} marks the sites. Returns
   * {@link #NO_SITE} everywhere when there is none.
   */
  public static long[] squared(boolean[] sites, int width, int height) {
    if (width < 0 || height < 0 || (long) width * height != sites.length) {
      throw new IllegalArgumentException(
          "a " + width + " x " + height + " grid does not have " + sites.length + " pixels");
    }
    long[] d = new long[sites.length];
    for (int x = 0; x < width; x++) {
      columnPass(sites, d, x, width, height);
    }
    long[] f = new long[width];
    int[] roots = new int[width];
    double[] bounds = new double[width + 1];
    for (int y = 0; y < height; y++) {
      System.arraycopy(d, y * width, f, 0, width);
      lowerEnvelope(f, d, y * width, roots, bounds);
    }
    return d;
  }

  /** d = squared distance to the nearest site in the same column (NO_SITE if none). */
  private static void columnPass(boolean[] sites, long[] d, int x, int width, int height) {
    int last = -1;
    for (int y = 0; y < height; y++) {
      if (sites[y * width + x]) {
        last = y;
      }
      d[y * width + x] = last < 0 ? NO_SITE : square(y - last);
    }
    int next = -1;
    for (int y = height - 1; y >= 0; y--) {
      if (sites[y * width + x]) {
        next = y;
      }
      if (next >= 0) {
        int i = y * width + x;
        d[i] = Math.min(d[i], square(next - y));
      }
    }
  }

  /**
   * out[offset + x] = min_q (x - q)^2 + f(q) over the q with a finite f. roots holds the q of the
   * envelope's parabolas, bounds[k]..bounds[k+1] the range of x where parabola k is the lowest.
   */
  private static void lowerEnvelope(long[] f, long[] out, int offset, int[] roots, double[] bounds) {
    int n = f.length;
    int k = -1;
    for (int q = 0; q < n; q++) {
      if (f[q] == NO_SITE) {
        continue;
      }
      double s = Double.NEGATIVE_INFINITY;
      while (k >= 0) {
        int r = roots[k];
        // where the parabolas of r and q meet (exact numerator: integers below 2^53)
        s = ((f[q] + square(q)) - (f[r] + square(r))) / (2.0 * (q - r));
        if (s > bounds[k]) {
          break;
        }
        k--;
      }
      k++;
      roots[k] = q;
      bounds[k] = k == 0 ? Double.NEGATIVE_INFINITY : s;
      bounds[k + 1] = Double.POSITIVE_INFINITY;
    }
    if (k < 0) {
      return; // no site in any column: the row keeps NO_SITE from the column pass
    }
    int j = 0;
    for (int x = 0; x < n; x++) {
      while (bounds[j + 1] < x) {
        j++;
      }
      out[offset + x] = square(x - roots[j]) + f[roots[j]];
    }
  }

  private static long square(long v) {
    return v * v;
  }
}
