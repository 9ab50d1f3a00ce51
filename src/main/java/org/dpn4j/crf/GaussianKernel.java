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
 * where K is the Gaussian filter (lattice or exact). K~ is symmetric when K is.
 */
public final class GaussianKernel {
  private final GaussianFilter filter;
  private final Normalisation normalisation;
  private final boolean selfTerm;
  /** D^-1/2 (symmetric) or null (none). */
  private final float[] norm;
  /** diag(K) (only without the self term), to take away. */
  private final float[] self;

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
      filter.filter(ones, degree, 1, null, null, 1f, false, null);
      norm = new float[n];
      for (int i = 0; i < n; i++) {
        double dii = degree[i] - (selfTerm ? 0 : self[i]);
        // The library's 1e-20 keeps an isolated point (degree 0 without its self term) finite.
        norm[i] = (float) (1.0 / Math.sqrt(Math.max(dii, 0) + 1e-20));
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

  /**
   * out (+)= weight * K~ in, for {@code valueSize} values per point, pixel-major; {@code then} as in
   * {@link GaussianFilter#filter}.
   */
  public void apply(
      float[] in, float[] out, int valueSize, float weight, boolean accumulate, Ranges.Body then) {
    Ranges.Body withoutSelf =
        selfTerm ? null : (i0, i1) -> subtractSelf(in, out, valueSize, weight, i0, i1);
    filter.filter(in, out, valueSize, norm, norm, weight, accumulate, withoutSelf == null ? then : withoutSelf.andThen(then));
  }

  /** K~ in, as a new array. */
  public float[] apply(float[] in, int valueSize) {
    float[] out = new float[in.length];
    apply(in, out, valueSize, 1f, false, null);
    return out;
  }

  /** out_i -= weight D_i^-1 K_ii in_i: the self term of the points [i0, i1). */
  private void subtractSelf(float[] in, float[] out, int valueSize, float weight, int i0, int i1) {
    for (int i = i0; i < i1; i++) {
      float s = weight * self[i] * (norm == null ? 1f : norm[i] * norm[i]);
      for (int v = i * valueSize; v < (i + 1) * valueSize; v++) {
        out[v] -= s * in[v];
      }
    }
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
