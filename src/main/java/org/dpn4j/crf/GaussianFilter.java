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
 * the normalisation and the self-term switch on top. An instance keeps work buffers: do not call
 * {@link #filter} on one instance from two threads at once.
 */
public interface GaussianFilter {

  /** Number of points N. */
  int points();

  /**
   * {@code out_i (+)= outScale_i * weight * sum_j k(i,j) inScale_j in_j} for every point i and each
   * of the {@code valueSize} values; a null scale means all ones; {@code accumulate} adds to out
   * instead of overwriting it. {@code in} and {@code out} must not be the same array. If {@code
   * then} is not null, it runs on every range of points as soon as their output is final (while it
   * is still in cache; ranges may run in parallel); by then {@code in} is no longer read, so {@code
   * then} may overwrite it.
   */
  void filter(
      float[] in,
      float[] out,
      int valueSize,
      float[] inScale,
      float[] outScale,
      float weight,
      boolean accumulate,
      Ranges.Body then);

  /** The diagonal k(i, i) of the operator this filter applies (1 for the exact kernel). */
  float[] selfWeights();

  /** Throws unless the arrays fit this filter's N points with {@code valueSize} values each. */
  default void checkSizes(float[] in, float[] out, int valueSize, float[] inScale, float[] outScale) {
    if (valueSize < 1) {
      throw new IllegalArgumentException("valueSize must be >= 1, got " + valueSize);
    }
    long need = (long) points() * valueSize;
    if (in.length < need || out.length < need) {
      throw new IllegalArgumentException(
          "filter over " + points() + " points x " + valueSize + " values needs arrays of " + need
              + ", got in " + in.length + ", out " + out.length);
    }
    if (in == out) {
      throw new IllegalArgumentException("in and out must be different arrays");
    }
    if ((inScale != null && inScale.length != points()) || (outScale != null && outScale.length != points())) {
      throw new IllegalArgumentException("scales must have one value per point (" + points() + ")");
    }
  }
}
