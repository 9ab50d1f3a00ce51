package org.dpn4j.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dpn4j.head.DpnHead;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.head.DpnHead3d;
import org.dpn4j.head.LabelContexts3d;
import org.dpn4j.head.TriplePenalty3d;
import org.dpn4j.unary.NamedTensors;

/**
 * The DPN head's learnable parameters as a model file stores them: b12's weights w_rgb and w_xy
 * (shape [1], or [L] with per-label weights) and b13's filters, (K*L, L, m_c, m_c) in (out, in, h,
 * w) order, output map u*K + k being component k of label u (DESIGN.md section 1). The values
 * live in the {@link DpnHead}'s layers; this class names, shapes and copies them.
 *
 * <p>A model with a spatio-temporal head ({@code head.temporal} in its configuration) also holds
 * that head's own b12 weights (same shapes) and its 3D b13, (K*L, L, 3, m_c, m_c) with tau = -1, 0,
 * +1 in the third axis (DESIGN.md "Spatio-temporal DPN"), under {@code head.temporal.*}.
 */
public final class HeadTensors {

  public static final String W_RGB = "head.b12.w_rgb";
  public static final String W_XY = "head.b12.w_xy";
  public static final String B13 = "head.b13.weight";
  public static final String TEMPORAL_W_RGB = "head.temporal.b12.w_rgb";
  public static final String TEMPORAL_W_XY = "head.temporal.b12.w_xy";
  public static final String TEMPORAL_B13 = "head.temporal.b13.weight";

  private HeadTensors() {}

  /**
   * The head that {@code config} describes, at its initial values (DESIGN.md): w_rgb = w_xy = 1,
   * every b13 component the identity context (weight[u*K+k][u][c][c] = 1, c = floor(m_c/2)).
   */
  static DpnHead initial(ModelConfig config) {
    return DpnHead.initial(config.head(), config.numLabels(), config.perLabelWeights());
  }

  /**
   * The spatio-temporal head that {@code config} describes at its initial values (b12 as in 2D, the
   * 3D b13 the identity context on tau = 0, zero on tau = +-1), or null when it has none.
   */
  static DpnHead3d initialTemporal(ModelConfig config) {
    if (config.temporal() == null) {
      return null;
    }
    return new DpnHead3d(new TriplePenalty3d(new TriplePenalty(config.numLabels(), config.head().b12Options(config.perLabelWeights()))),
        new LabelContexts3d(config.numLabels(), config.head().components(), config.temporal().contextSize()));
  }

  /** The head tensors' shapes for {@code config} (three, six with a temporal head), by their names in the weights file. */
  static Map<String, long[]> shapes(ModelConfig config) {
    long labels = config.numLabels();
    long m = config.head().size();
    long k = config.head().components();
    long w = config.perLabelWeights() ? labels : 1;
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put(W_RGB, new long[] {w});
    s.put(W_XY, new long[] {w});
    s.put(B13, new long[] {k * labels, labels, m, m});
    if (config.temporal() != null) {
      long mt = config.temporal().contextSize();
      s.put(TEMPORAL_W_RGB, new long[] {w});
      s.put(TEMPORAL_W_XY, new long[] {w});
      s.put(TEMPORAL_B13, new long[] {k * labels, labels, 3, mt, mt});
    }
    return s;
  }

  /** Copies the tensors into the head's layers; names and shapes must already be checked. */
  static void load(DpnHead head, DpnHead3d temporal, Map<String, NamedTensors.Tensor> tensors) {
    copy(tensors.get(W_RGB).values(), head.b12().wRgb());
    copy(tensors.get(W_XY).values(), head.b12().wXy());
    copy(tensors.get(B13).values(), head.b13().weights());
    if (temporal != null) {
      copy(tensors.get(TEMPORAL_W_RGB).values(), temporal.b12().b12().wRgb());
      copy(tensors.get(TEMPORAL_W_XY).values(), temporal.b12().b12().wXy());
      copy(tensors.get(TEMPORAL_B13).values(), temporal.b13().weights());
    }
  }

  private static void copy(float[] from, float[] to) {
    System.arraycopy(from, 0, to, 0, to.length);
  }

  /** The head's tensors by name, copied, with their shapes for {@code config}. */
  static Map<String, NamedTensors.Tensor> of(DpnHead head, DpnHead3d temporal, ModelConfig config) {
    Map<String, long[]> shapes = shapes(config);
    Map<String, NamedTensors.Tensor> t = new LinkedHashMap<>();
    put(t, shapes, W_RGB, head.b12().wRgb());
    put(t, shapes, W_XY, head.b12().wXy());
    put(t, shapes, B13, head.b13().weights());
    if (temporal != null) {
      put(t, shapes, TEMPORAL_W_RGB, temporal.b12().b12().wRgb());
      put(t, shapes, TEMPORAL_W_XY, temporal.b12().b12().wXy());
      put(t, shapes, TEMPORAL_B13, temporal.b13().weights());
    }
    return t;
  }

  private static void put(Map<String, NamedTensors.Tensor> t, Map<String, long[]> shapes, String name, float[] values) {
    t.put(name, new NamedTensors.Tensor(shapes.get(name), values.clone()));
  }
}
