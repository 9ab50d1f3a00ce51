package org.dpn4j.crf;

import java.util.Arrays;

/**
 * The exact dense Gaussian filter, {@code out_i = sum_j exp(-|f_i - f_j|^2 / 2) in_j} over all
 * pairs of points: O(N^2) time, for tests of the {@link PermutohedralLattice} on small images and
 * for the exact dense CRF of DESIGN.md section 1 (Eqn 16). Sums in double.
 */
public final class ExactGaussianFilter implements GaussianFilter {
  private final float[] features;
  private final int n;
  private final int d;
  /** The prepared input a_j in_j. */
  private float[] prepared;
  private int valueSize;

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
  public void prepare(float[] in, int valueSize, float[] inScale) {
    checkInput(in, valueSize, inScale);
    prepared = new float[n * valueSize];
    for (int j = 0; j < n; j++) {
      for (int v = 0; v < valueSize; v++) {
        prepared[j * valueSize + v] = (inScale == null ? 1 : inScale[j]) * in[j * valueSize + v];
      }
    }
    this.valueSize = valueSize;
  }

  @Override
  public void slice(
      float[] out, int outOffset, int from, int to, float[] outScale, float weight, boolean accumulate) {
    checkOutput(out, outOffset, from, to, valueSize, outScale);
    double[] acc = new double[valueSize];
    for (int i = from; i < to; i++) {
      java.util.Arrays.fill(acc, 0);
      for (int j = 0; j < n; j++) {
        double dist2 = 0;
        for (int k = 0; k < d; k++) {
          double t = features[i * d + k] - features[j * d + k];
          dist2 += t * t;
        }
        double kij = Math.exp(-0.5 * dist2);
        for (int v = 0; v < valueSize; v++) {
          acc[v] += kij * prepared[j * valueSize + v];
        }
      }
      double s = weight * (outScale == null ? 1 : outScale[i]);
      int row = outOffset + (i - from) * valueSize;
      for (int v = 0; v < valueSize; v++) {
        float r = (float) (s * acc[v]);
        out[row + v] = accumulate ? out[row + v] + r : r;
      }
    }
  }

  @Override
  public float[] selfWeights() {
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    return ones;
  }
}
