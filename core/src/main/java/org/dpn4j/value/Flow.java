package org.dpn4j.value;

/**
 * A dense optical-flow field F_{t->s} on an {@code h x w} frame t: pixel j = (x, y) of frame t moves
 * to (x + u[j], y + v[j]) in frame s (DESIGN.md, Sec. 1 "Spatio-temporal DPN"). Both arrays are
 * row-major, {@code j = y * w + x}, in pixels. Equality is by identity (arrays are not compared).
 */
public record Flow(int h, int w, float[] u, float[] v) {

  public Flow {
    if (h < 1 || w < 1) {
      throw new IllegalArgumentException("flow size must be positive, got " + h + "x" + w);
    }
    long n = (long) h * w;
    if (u.length != n || v.length != n) {
      throw new IllegalArgumentException(
          "a " + h + "x" + w + " flow needs " + n + " values per component, got u " + u.length + ", v " + v.length);
    }
  }

  /** A zero flow of {@code h x w}. */
  public static Flow zeros(int h, int w) {
    int n = Math.multiplyExact(h, w);
    return new Flow(h, w, new float[n], new float[n]);
  }

  /** Number of pixels. */
  public int plane() {
    return h * w;
  }

  /**
   * Middlebury's "unknown flow" marker: a component of this magnitude or more (the format writes
   * 1e9) means no ground truth at that pixel.
   */
  public static final float UNKNOWN = 1e9f;

  /** Whether pixel j has a flow: both components finite and below {@link #UNKNOWN} in magnitude. */
  public boolean known(int j) {
    return Math.abs(u[j]) < UNKNOWN && Math.abs(v[j]) < UNKNOWN; // false for NaN too
  }

  /** How many pixels have a flow ({@link #known}). */
  public int knownCount() {
    int n = 0;
    for (int j = 0; j < u.length; j++) {
      n += known(j) ? 1 : 0;
    }
    return n;
  }

  /**
   * The mean end-point error against {@code truth}: (1/N) sum_j |F(j) - F_truth(j)|, the standard
   * optical-flow score (Middlebury, FlyingChairs), in pixels, over the pixels where both flows are
   * {@link #known} (NaN or Middlebury's unknown marker in the ground truth is masked, not scored).
   */
  public double meanEndPointError(Flow truth) {
    return meanEndPointError(truth, null);
  }

  /** The mean end-point error over the pixels where {@code keep[j]} (all, when null) and both flows are known; NaN if none. */
  public double meanEndPointError(Flow truth, boolean[] keep) {
    if (truth.h != h || truth.w != w) {
      throw new IllegalArgumentException("ground truth is " + truth.h + "x" + truth.w + " but the flow is " + h + "x" + w);
    }
    double sum = 0;
    int n = 0;
    for (int j = 0; j < u.length; j++) {
      if ((keep == null || keep[j]) && known(j) && truth.known(j)) {
        sum += Math.hypot(u[j] - truth.u[j], v[j] - truth.v[j]);
        n++;
      }
    }
    return sum / n;
  }

  /** The mean of u and of v over the pixels where {@code keep[j]} (or all, when null): {mean u, mean v}. */
  public double[] mean(boolean[] keep) {
    double su = 0;
    double sv = 0;
    int n = 0;
    for (int j = 0; j < u.length; j++) {
      if (keep == null || keep[j]) {
        su += u[j];
        sv += v[j];
        n++;
      }
    }
    return new double[] {su / n, sv / n};
  }
}
