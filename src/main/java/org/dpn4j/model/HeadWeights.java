package org.dpn4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dpn4j.unary.NamedTensors;

/**
 * The DPN head's learnable parameters as a model file stores them: b12's weights w_rgb and w_xy
 * (shape [1], or [L] with per-label weights) and b13's filters, (K*L, L, m_c, m_c) in (out, in, h,
 * w) order, output map u*K + k being component k of label u (DESIGN.md section 1).
 */
public final class HeadWeights {

  public static final String W_RGB = "head.b12.w_rgb";
  public static final String W_XY = "head.b12.w_xy";
  public static final String B13 = "head.b13.weight";

  private final float[] wRgb;
  private final float[] wXy;
  private final float[] b13;

  private HeadWeights(float[] wRgb, float[] wXy, float[] b13) {
    this.wRgb = wRgb;
    this.wXy = wXy;
    this.b13 = b13;
  }

  /**
   * The initial values (DESIGN.md): w_rgb = w_xy = 1 (the Euclidean distance), and every b13
   * component the identity context, weight[u*K+k][u][c][c] = 1 with c = floor(m_c/2), all other
   * taps 0, so that b14 = b12's output before b13 is trained.
   */
  public static HeadWeights initial(ModelConfig config) {
    int n = config.b12().perLabelWeights() ? config.numLabels() : 1;
    float[] wRgb = new float[n];
    float[] wXy = new float[n];
    java.util.Arrays.fill(wRgb, 1f);
    java.util.Arrays.fill(wXy, 1f);
    int labels = config.numLabels();
    int k = config.b13().components();
    int m = config.b13().size();
    float[] b13 = new float[k * labels * labels * m * m];
    int centre = m / 2;
    for (int u = 0; u < labels; u++) {
      for (int c = 0; c < k; c++) {
        int out = u * k + c;
        b13[((out * labels + u) * m + centre) * m + centre] = 1f;
      }
    }
    return new HeadWeights(wRgb, wXy, b13);
  }

  /** The three tensors' shapes for {@code config}, by their names in the weights file. */
  public static Map<String, long[]> shapes(ModelConfig config) {
    long labels = config.numLabels();
    long m = config.b13().size();
    long w = config.b12().perLabelWeights() ? labels : 1;
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put(W_RGB, new long[] {w});
    s.put(W_XY, new long[] {w});
    s.put(B13, new long[] {config.b13().components() * labels, labels, m, m});
    return s;
  }

  /** The head from a weights file's tensors; their names and shapes must already be checked. */
  static HeadWeights of(NamedTensors tensors) {
    return new HeadWeights(tensors.values(W_RGB), tensors.values(W_XY), tensors.values(B13));
  }

  /** The tensors by name with their shapes for {@code config}, for saving. */
  Map<String, NamedTensors.Tensor> tensors(ModelConfig config) {
    Map<String, long[]> shapes = shapes(config);
    Map<String, NamedTensors.Tensor> t = new LinkedHashMap<>();
    t.put(W_RGB, new NamedTensors.Tensor(shapes.get(W_RGB), wRgb));
    t.put(W_XY, new NamedTensors.Tensor(shapes.get(W_XY), wXy));
    t.put(B13, new NamedTensors.Tensor(shapes.get(B13), b13));
    return t;
  }

  /** b12's colour weight(s), live: length 1 or L. */
  public float[] wRgb() {
    return wRgb;
  }

  /** b12's position weight(s), live: length 1 or L. */
  public float[] wXy() {
    return wXy;
  }

  /** b13's filters, live, (K*L, L, m_c, m_c) row-major. */
  public float[] b13() {
    return b13;
  }
}
