package org.dpn4j.crf;

import java.util.Arrays;
import org.dpn4j.util.Parallel;

/**
 * The exact dense Gaussian filter, {@code out_i = sum_j exp(-|f_i - f_j|^2 / 2) in_j} over all
 * pairs of points: O(N^2) time, for tests of the {@link PermutohedralLattice} on small images and
 * for the exact dense CRF of DESIGN.md section 1 (Eqn 16). Sums in double.
 */
public final class ExactGaussianFilter implements GaussianFilter {
  private final float[] features;
  private final int n;
  private final int d;

  /** {@code features[i * d + k]}: feature k of point i, already divided by its standard deviation. */
  public ExactGaussianFilter(float[] features, int d) {
    this.n = PermutohedralLattice.checkFeatures(features, d);
    this.d = d;
    this.features = features.clone();
  }

  @Override
  public int points() {
    return n;
  }

  @Override
  public void filter(
      float[] in,
      float[] out,
      int valueSize,
      float[] inScale,
      float[] outScale,
      float weight,
      boolean accumulate,
      Ranges.Body then) {
    checkSizes(in, out, valueSize, inScale, outScale);
    Parallel.forEach(
        n,
        i -> {
          double[] acc = new double[valueSize];
          for (int j = 0; j < n; j++) {
            double dist2 = 0;
            for (int k = 0; k < d; k++) {
              double t = features[i * d + k] - features[j * d + k];
              dist2 += t * t;
            }
            double kij = Math.exp(-0.5 * dist2) * (inScale == null ? 1 : inScale[j]);
            for (int v = 0; v < valueSize; v++) {
              acc[v] += kij * in[j * valueSize + v];
            }
          }
          double s = weight * (outScale == null ? 1 : outScale[i]);
          for (int v = 0; v < valueSize; v++) {
            float r = (float) (s * acc[v]);
            out[i * valueSize + v] = accumulate ? out[i * valueSize + v] + r : r;
          }
        });
    if (then != null) {
      then.run(0, n);
    }
  }

  @Override
  public float[] selfWeights() {
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    return ones;
  }
}
