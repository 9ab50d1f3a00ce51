package org.dpn4j.crf;

import java.util.Arrays;

/**
 * One pairwise kernel of the dense CRF as the mean-field update uses it (DESIGN.md section 5):
 *
 * <pre>
 *   K~ = D^-1/2 K' D^-1/2,   D = diag(K' 1)        (Normalisation.SYMMETRIC, the default)
 *   K~ = K'                                        (Normalisation.NONE)
 *   K' = K with the self term (selfTerm = true), K - diag(K) without it
 * </pre>
 *
 * where K is the Gaussian filter (lattice or exact). K~ is symmetric when K is. Used in two phases
 * like {@link GaussianFilter}: {@link #prepare}, then {@link #slice} ranges of points.
 */
public final class GaussianKernel {
  private final GaussianFilter filter;
  private final Normalisation normalisation;
  private final boolean selfTerm;
  /** D^-1/2 (symmetric) or null (none). */
  private final float[] norm;
  /** diag(K) (only without the self term), to take away. */
  private final float[] self;
  private float[] prepared;
  private int preparedSize;

  public GaussianKernel(GaussianFilter filter, Normalisation normalisation, boolean selfTerm) {
    this.filter = filter;
    this.normalisation = normalisation;
    this.selfTerm = selfTerm;
    int n = filter.points();
    this.self = selfTerm ? null : filter.selfWeights();
    if (normalisation == Normalisation.SYMMETRIC) {
      float[] ones = new float[n];
      Arrays.fill(ones, 1f);
      float[] degree = new float[n];
      filter.filter(ones, degree, 1, null, null, 1f, false);
      norm = new float[n];
      for (int i = 0; i < n; i++) {
        double dii = degree[i] - (selfTerm ? 0 : self[i]);
        // Without the self term, the filtered value keeps it and it is taken away after: for a point
        // with almost no neighbours that difference of two large numbers would be noise, so its
        // degree is kept above 1e-4 of its own weight. The library's 1e-20 keeps 0 finite.
        double floor = selfTerm ? 0 : 1e-4 * self[i];
        norm[i] = (float) (1.0 / Math.sqrt(Math.max(dii, floor) + 1e-20));
      }
    } else {
      norm = null;
    }
  }

  public int points() {
    return filter.points();
  }

  public Normalisation normalisation() {
    return normalisation;
  }

  public boolean selfTerm() {
    return selfTerm;
  }

  /** Takes Q (as {@link GaussianFilter#prepare}); {@code in} must keep its values until sliced. */
  public void prepare(float[] in, int valueSize) {
    filter.prepare(in, valueSize, norm);
    prepared = in;
    preparedSize = valueSize;
  }

  /**
   * out[outOffset + (i - from) * valueSize + v] (+)= weight (K~ in)_i for the points [from, to)
   * of the prepared input; disjoint ranges may run in parallel. Without the self term this reads
   * the prepared {@code in} of the same points (and only those).
   */
  public void slice(float[] out, int outOffset, int from, int to, float weight, boolean accumulate) {
    filter.slice(out, outOffset, from, to, norm, weight, accumulate);
    if (!selfTerm) {
      int vs = preparedSize;
      for (int i = from; i < to; i++) {
        float s = weight * self[i] * (norm == null ? 1f : norm[i] * norm[i]);
        int row = outOffset + (i - from) * vs;
        for (int v = 0; v < vs; v++) {
          out[row + v] -= s * prepared[i * vs + v];
        }
      }
    }
  }

  /** K~ in, as a new array. */
  public float[] apply(float[] in, int valueSize) {
    float[] out = new float[in.length];
    prepare(in, valueSize);
    Ranges.forEach(points(), 4096, (i0, i1) -> slice(out, i0 * valueSize, i0, i1, 1f, false));
    return out;
  }

  /** The diagonal of D^-1/2 (ones without normalisation): K~ D^1/2 1 = D^-1/2 K' 1 = D^1/2 1. */
  public float[] inverseSqrtDegree() {
    if (norm == null) {
      float[] ones = new float[points()];
      Arrays.fill(ones, 1f);
      return ones;
    }
    return norm.clone();
  }
}
