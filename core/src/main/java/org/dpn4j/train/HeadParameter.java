package org.dpn4j.train;

import org.dpn4j.head.DpnHead;
import org.dpn4j.head.MeanFieldHead;
import org.dpn4j.head.TriplePenalty;
import org.dpn4j.model.HeadTensors;

/**
 * The head's learnable parameter arrays (DESIGN.md section 1), by their names in a model's weights
 * file (docs/MODEL_FORMAT.md): b12's colour and position weights (w_rgb, w_xy for the linear
 * kernel; w_b, w_g for the Gaussian one) and b13's filters.
 */
public enum HeadParameter {
  B12_COLOUR,
  B12_POSITION,
  B13;

  /** The name in a weights file: {@code head.b12.w_rgb}, {@code head.b12.w_xy}, {@code head.b13.weight}. */
  public String tensorName(DpnHead head) {
    boolean linear = head.b12().options().kernel() == TriplePenalty.Kernel.LINEAR;
    return switch (this) {
      case B12_COLOUR -> linear ? HeadTensors.W_RGB : "head.b12.w_b";
      case B12_POSITION -> linear ? HeadTensors.W_XY : "head.b12.w_g";
      case B13 -> HeadTensors.B13;
    };
  }

  /** The head's live array of this parameter. */
  public float[] values(DpnHead head) {
    boolean linear = head.b12().options().kernel() == TriplePenalty.Kernel.LINEAR;
    return switch (this) {
      case B12_COLOUR -> linear ? head.b12().wRgb() : head.b12().wB();
      case B12_POSITION -> linear ? head.b12().wXy() : head.b12().wG();
      case B13 -> head.b13().weights();
    };
  }

  /** Every parameter's live array by its tensor name, in the enum's order. */
  public static java.util.Map<String, float[]> named(DpnHead head) {
    java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
    for (HeadParameter hp : values()) {
      m.put(hp.tensorName(head), hp.values(head));
    }
    return m;
  }

  /** This parameter's gradient in a backward pass's result (of the 2D or the 3D head). */
  public float[] gradient(MeanFieldHead.WeightGradients g) {
    return switch (this) {
      case B12_COLOUR -> g.b12().colourWeight();
      case B12_POSITION -> g.b12().positionWeight();
      case B13 -> g.b13().weights();
    };
  }
}
