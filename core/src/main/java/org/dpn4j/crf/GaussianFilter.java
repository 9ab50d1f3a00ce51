package org.dpn4j.crf;

/**
 * Gaussian filtering of values attached to N points with features f_i (d numbers each):
 *
 * <pre>
 *   out_i = b_i * weight * sum_j k(i, j) a_j in_j,     k(i, j) = exp(-|f_i - f_j|^2 / 2)
 * </pre>
 *
 * self term (j = i) included, no normalisation. Values are stored pixel-major with {@code
 * valueSize} floats per point ({@code in[j * valueSize + v]}), so one call filters every label at
 * once. {@link PermutohedralLattice} computes k approximately in O(N d^2 + N d valueSize) and
 * {@link ExactGaussianFilter} exactly in O(N^2 valueSize) (for tests). {@link GaussianKernel} adds
 * the normalisation and the self-term switch on top.
 *
 * <p>Two phases, so that a caller can consume the output of a range of points while it is in
 * cache (the dense CRF adds the kernels' messages and takes the softmax per range, and never
 * stores whole message maps): {@link #prepare} takes the input (for the lattice: splat and blur),
 * then {@link #slice} gives the output of any ranges of points, in parallel if wanted. An instance
 * keeps the prepared state: one prepare at a time per instance.
 */
public interface GaussianFilter {

  /** Number of points N. */
  int points();

  /**
   * Takes {@code a_j in_j} for every point ({@code inScale} = a, null for ones). Afterwards {@code
   * in} is not read again and may be overwritten.
   */
  void prepare(float[] in, int valueSize, float[] inScale);

  /**
   * For the points i in [from, to): {@code out[outOffset + (i - from) * valueSize + v] (+)=
   * outScale_i * weight * sum_j k(i,j) a_j in_j} over the prepared input ({@code outScale} null for
   * ones; {@code accumulate} adds instead of overwriting). Disjoint ranges may run in parallel.
   */
  void slice(float[] out, int outOffset, int from, int to, float[] outScale, float weight, boolean accumulate);

  /** The diagonal k(i, i) of the operator this filter applies (1 for the exact kernel). */
  float[] selfWeights();

  /** Both phases over all points: {@code out_i (+)= outScale_i * weight * sum_j k(i,j) inScale_j in_j}. */
  default void filter(
      float[] in, float[] out, int valueSize, float[] inScale, float[] outScale, float weight, boolean accumulate) {
    if (in == out) {
      throw new IllegalArgumentException("in and out must be different arrays");
    }
    prepare(in, valueSize, inScale);
    checkOutput(out, 0, 0, points(), valueSize, outScale);
    Ranges.forEach(points(), 4096, (i0, i1) -> slice(out, i0 * valueSize, i0, i1, outScale, weight, accumulate));
  }

  /** Throws unless {@code in} and {@code inScale} fit this filter's N points. */
  default void checkInput(float[] in, int valueSize, float[] inScale) {
    if (valueSize < 1) {
      throw new IllegalArgumentException("valueSize must be >= 1, got " + valueSize);
    }
    long need = (long) points() * valueSize;
    if (in.length < need) {
      throw new IllegalArgumentException(
          "filter over " + points() + " points x " + valueSize + " values needs arrays of " + need
              + ", got " + in.length);
    }
    if (inScale != null && inScale.length != points()) {
      throw new IllegalArgumentException("scales must have one value per point (" + points() + ")");
    }
  }

  /** Throws unless a slice of [from, to) into {@code out} at {@code outOffset} fits. */
  default void checkOutput(float[] out, int outOffset, int from, int to, int valueSize, float[] outScale) {
    if (from < 0 || to > points() || from > to) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is not within " + points() + " points");
    }
    if (outOffset < 0 || outOffset + (long) (to - from) * valueSize > out.length) {
      throw new IllegalArgumentException(
          "output of " + (to - from) + " points x " + valueSize + " values from " + outOffset
              + " does not fit an array of " + out.length);
    }
    if (outScale != null && outScale.length != points()) {
      throw new IllegalArgumentException("scales must have one value per point (" + points() + ")");
    }
  }
}
