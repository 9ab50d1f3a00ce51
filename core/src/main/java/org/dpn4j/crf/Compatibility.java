package org.dpn4j.crf;

import org.dpn4j.util.Simd;

/**
 * The label compatibility mu of one pairwise kernel, as the reference library applies it to the
 * filtered marginals m = K~ Q (DESIGN.md section 5):
 *
 * <ul>
 *   <li>{@link #potts(float) Potts} with weight w: the update's logits gain {@code + w m_u} (the
 *       same-label mass is a reward; equal to the penalty {@code w [u != v]} up to a per-pixel
 *       constant, which the softmax ignores);
 *   <li>a {@link #matrix(float[][]) matrix} mu: the logits gain {@code - sum_v mu(u, v) m_v}. Like
 *       the library, mu is symmetrised: (mu + mu^T) / 2.
 * </ul>
 *
 * So {@code potts(w)} and {@code matrix(w (1 - I))} give the same Q.
 */
public final class Compatibility {
  /** The stride of a point's values must be a multiple of this. */
  private static final int LANES = Simd.FLOAT_LANES;

  private final float pottsWeight;
  private final float[][] matrix;

  private Compatibility(float pottsWeight, float[][] matrix) {
    this.pottsWeight = pottsWeight;
    this.matrix = matrix;
  }

  /** The Potts model with weight w (pydensecrf's {@code compat=w}). */
  public static Compatibility potts(float w) {
    if (!Float.isFinite(w)) {
      throw new IllegalArgumentException("Potts compatibility must be finite, got " + w);
    }
    return new Compatibility(w, null);
  }

  /** A full L x L compatibility (pydensecrf's {@code compat=matrix}), symmetrised. */
  public static Compatibility matrix(float[][] mu) {
    int l = mu.length;
    if (l == 0) {
      throw new IllegalArgumentException("compatibility matrix is empty");
    }
    float[][] sym = new float[l][l];
    for (int u = 0; u < l; u++) {
      if (mu[u].length != l) {
        throw new IllegalArgumentException(
            "compatibility matrix must be square: row " + u + " has " + mu[u].length + " entries, not " + l);
      }
      for (int v = 0; v < l; v++) {
        if (!Float.isFinite(mu[u][v])) {
          throw new IllegalArgumentException("compatibility (" + u + ", " + v + ") is " + mu[u][v]);
        }
        sym[u][v] = 0.5f * (mu[u][v] + mu[v][u]);
      }
    }
    return new Compatibility(Float.NaN, sym);
  }

  public boolean isPotts() {
    return matrix == null;
  }

  /** The Potts weight w. */
  public float pottsWeight() {
    if (matrix != null) {
      throw new IllegalStateException("not a Potts compatibility");
    }
    return pottsWeight;
  }

  /** Number of labels of a matrix compatibility; -1 for Potts (any number). */
  public int labels() {
    return matrix == null ? -1 : matrix.length;
  }

  /** The symmetrised matrix as used (a copy); for Potts w, -w I of the given size. */
  public float[][] asMatrix(int labels) {
    float[][] mu = new float[labels][labels];
    for (int u = 0; u < labels; u++) {
      for (int v = 0; v < labels; v++) {
        mu[u][v] = matrix != null ? matrix[u][v] : (u == v ? -pottsWeight : 0f);
      }
    }
    return mu;
  }

  /** A compiled matrix compatibility for {@code stride} floats per point (labels padded to 8k). */
  Applier applier(int labels, int stride) {
    return new Applier(asMatrix(labels), stride);
  }

  /** Adds {@code - mu m} to the logits of each point, 8 labels at a time (the labels padded). */
  static final class Applier {
    private final int labels;
    private final int stride;
    /** Column v of -mu, padded to the stride: negColumns[v * stride + u] = -mu(u, v). */
    private final float[] negColumns;

    private Applier(float[][] mu, int stride) {
      if (stride % LANES != 0 || stride < mu.length) {
        throw new IllegalArgumentException("stride " + stride + " must be a multiple of " + LANES);
      }
      this.labels = mu.length;
      this.stride = stride;
      this.negColumns = new float[labels * stride];
      for (int u = 0; u < labels; u++) {
        for (int v = 0; v < labels; v++) {
          negColumns[v * stride + u] = -mu[u][v];
        }
      }
    }

    /** logits (+)= -mu filtered for {@code count} points from the given offsets. */
    void addTo(float[] filtered, int filteredOffset, float[] logits, int logitsOffset, int count, boolean accumulate) {
      for (int i = 0; i < count; i++) {
        int in = filteredOffset + i * stride;
        int row = logitsOffset + i * stride;
        if (Simd.VECTOR) {
          CrfVectors.addNegMu(negColumns, labels, stride, filtered, in, logits, row, accumulate);
          continue;
        }
        for (int c = 0; c < stride; c++) {
          float acc = accumulate ? logits[row + c] : 0f;
          for (int v = 0; v < labels; v++) {
            acc += negColumns[v * stride + c] * filtered[in + v];
          }
          logits[row + c] = acc;
        }
      }
    }
  }
}
