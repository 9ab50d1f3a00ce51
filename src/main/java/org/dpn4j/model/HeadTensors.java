package org.dpn4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.LabelContexts;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.Window;
import org.dpn4j.unary.NamedTensors;

/**
 * The DPN head's learnable parameters as a model file stores them: b12's weights w_rgb and w_xy
 * (shape [1], or [L] with per-label weights) and b13's filters, (K*L, L, m_c, m_c) in (out, in, h,
 * w) order, output map u*K + k being component k of label u (DESIGN.md section 1). The values
 * live in the {@link DpnHead}'s layers; this class names, shapes and copies them.
 */
public final class HeadTensors {

  public static final String W_RGB = "head.b12.w_rgb";
  public static final String W_XY = "head.b12.w_xy";
  public static final String B13 = "head.b13.weight";

  private HeadTensors() {}

  /**
   * The head that {@code config} describes, at its initial values (DESIGN.md): w_rgb = w_xy = 1,
   * every b13 component the identity context (weight[u*K+k][u][c][c] = 1, c = floor(m_c/2)).
   */
  static DpnHead initial(ModelConfig config) {
    ModelConfig.B12 b12 = config.b12();
    TriplePenalty.Options options = TriplePenalty.Options.defaults()
        .withWindow(Window.scaled(b12.window(), b12.referenceSize()))
        .withPerLabelWeights(b12.perLabelWeights());
    return new DpnHead(new TriplePenalty(config.numLabels(), options),
        new LabelContexts(config.numLabels(), config.b13().components(), config.b13().size()));
  }

  /** The three tensors' shapes for {@code config}, by their names in the weights file. */
  static Map<String, long[]> shapes(ModelConfig config) {
    long labels = config.numLabels();
    long m = config.b13().size();
    long w = config.b12().perLabelWeights() ? labels : 1;
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put(W_RGB, new long[] {w});
    s.put(W_XY, new long[] {w});
    s.put(B13, new long[] {config.b13().components() * labels, labels, m, m});
    return s;
  }

  /** Copies the tensors into the head's layers; names and shapes must already be checked. */
  static void load(DpnHead head, Map<String, NamedTensors.Tensor> tensors) {
    copy(tensors.get(W_RGB).values(), head.b12().wRgb());
    copy(tensors.get(W_XY).values(), head.b12().wXy());
    copy(tensors.get(B13).values(), head.b13().weights());
  }

  private static void copy(float[] from, float[] to) {
    System.arraycopy(from, 0, to, 0, to.length);
  }

  /** The head's tensors by name, copied, with their shapes for {@code config}. */
  static Map<String, NamedTensors.Tensor> of(DpnHead head, ModelConfig config) {
    Map<String, long[]> shapes = shapes(config);
    Map<String, NamedTensors.Tensor> t = new LinkedHashMap<>();
    t.put(W_RGB, new NamedTensors.Tensor(shapes.get(W_RGB), head.b12().wRgb().clone()));
    t.put(W_XY, new NamedTensors.Tensor(shapes.get(W_XY), head.b12().wXy().clone()));
    t.put(B13, new NamedTensors.Tensor(shapes.get(B13), head.b13().weights().clone()));
    return t;
  }
}
