package org.dpn4j.head;

import org.dpn4j.value.Maps;

import static org.dpn4j.head.PixelVectors.SP;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * b14, block min pooling (DESIGN.md section 1): {@code out_j^u = min_k in_j^{u*K+k}} over the K
 * consecutive maps of each label (b13's components). The gradient goes to the arg-min component,
 * the first one on ties.
 */
public final class BlockMinPool {
  private final int components;

  public BlockMinPool(int components) {
    if (components < 1) {
      throw new IllegalArgumentException("components must be positive, got " + components);
    }
    this.components = components;
  }

  public int components() {
    return components;
  }

  /** The minimum over each label's K maps: in has K*L maps, the result L. */
  public Maps forward(Maps in) {
    int labels = labelsOf(in);
    Maps out = new Maps(labels, in.h, in.w);
    PixelVectors.apply(
        new Maps[] {in},
        new Maps[] {out},
        (x, y, plane, p) -> {
          for (int u = 0; u < labels; u++) {
            min(x[0], u, plane, p).intoArray(y[0], u * plane + p);
          }
        });
    return out;
  }

  /** The gradient w.r.t. the input {@code in} (K*L maps) from {@code gradOut} (L maps). */
  public Maps backward(Maps in, Maps gradOut) {
    int labels = labelsOf(in);
    if (gradOut.c != labels) {
      throw new IllegalArgumentException("b14 output gradient has " + gradOut.c + " maps, expected " + labels);
    }
    in.requireSameSize(gradOut, "b14 output gradient");
    Maps grad = in.zerosLike();
    PixelVectors.apply(
        new Maps[] {in, gradOut},
        new Maps[] {grad},
        (x, y, plane, p) -> {
          for (int u = 0; u < labels; u++) {
            FloatVector min = min(x[0], u, plane, p);
            FloatVector g = FloatVector.fromArray(SP, x[1], u * plane + p);
            VectorMask<Float> free = SP.maskAll(true);
            for (int k = 0; k < components; k++) {
              int i = (u * components + k) * plane + p;
              VectorMask<Float> hit = FloatVector.fromArray(SP, x[0], i).compare(VectorOperators.EQ, min).and(free);
              FloatVector.zero(SP).blend(g, hit).intoArray(y[0], i);
              free = free.andNot(hit);
            }
          }
        });
    return grad;
  }

  private FloatVector min(float[] in, int u, int plane, int p) {
    FloatVector min = FloatVector.fromArray(SP, in, u * components * plane + p);
    for (int k = 1; k < components; k++) {
      min = min.min(FloatVector.fromArray(SP, in, (u * components + k) * plane + p));
    }
    return min;
  }

  private int labelsOf(Maps in) {
    if (in.c % components != 0) {
      throw new IllegalArgumentException("b14 input has " + in.c + " maps, not a multiple of K = " + components);
    }
    return in.c / components;
  }
}
