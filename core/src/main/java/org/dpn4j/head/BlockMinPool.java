package org.dpn4j.head;

import org.dpn4j.util.Parallel;
import org.dpn4j.util.Simd;
import org.dpn4j.value.Maps;

/**
 * b14, block min pooling (DESIGN.md section 1): {@code out_j^u = min_k in_j^{u*K+k}} over the K
 * consecutive maps of each label (b13's components). The gradient goes to the arg-min component,
 * the first one on ties. With the Vector API the loops run in {@link PixelVectors}, else here.
 */
public final class BlockMinPool {
  /** Pixels per parallel task of the plain loops. */
  private static final int CHUNK = 4096;

  private final int components;

  /** b14 for K = {@code components} maps per label. */
  public BlockMinPool(int components) {
    if (components < 1) {
      throw new IllegalArgumentException("components must be positive, got " + components);
    }
    this.components = components;
  }

  /** K, the maps per label. */
  public int components() {
    return components;
  }

  /** The minimum over each label's K maps: in has K*L maps, the result L. */
  public Maps forward(Maps in) {
    int labels = labelsOf(in);
    Maps out = new Maps(labels, in.h, in.w);
    if (Simd.VECTOR) {
      PixelVectors.minPool(in, out, components);
      return out;
    }
    int plane = in.plane();
    Parallel.forRanges(plane, CHUNK, (p0, p1) -> {
      for (int u = 0; u < labels; u++) {
        for (int p = p0; p < p1; p++) {
          out.data[u * plane + p] = min(in.data, u, plane, p);
        }
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
    if (Simd.VECTOR) {
      PixelVectors.minPoolBackward(in, gradOut, grad, components);
      return grad;
    }
    int plane = in.plane();
    float[] x = in.data;
    Parallel.forRanges(plane, CHUNK, (p0, p1) -> {
      for (int u = 0; u < labels; u++) {
        for (int p = p0; p < p1; p++) {
          float min = min(x, u, plane, p);
          // The first arg-min takes the gradient; the others keep 0.
          for (int k = 0; k < components; k++) {
            int i = (u * components + k) * plane + p;
            if (x[i] == min) {
              grad.data[i] = gradOut.data[u * plane + p];
              break;
            }
          }
        }
      }
    });
    return grad;
  }

  private float min(float[] in, int u, int plane, int p) {
    float min = in[u * components * plane + p];
    for (int k = 1; k < components; k++) {
      min = Math.min(min, in[(u * components + k) * plane + p]);
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
