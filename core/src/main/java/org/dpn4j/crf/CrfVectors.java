package org.dpn4j.crf;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Vectors;

/**
 * The Vector API loops of the dense CRF ({@link DenseCrf}, {@link Compatibility},
 * {@link PermutohedralLattice}): all values of a point move together, {@code LANES} floats at a
 * time. The callers hold the plain loops and the documentation. Loaded only when
 * {@link org.dpn4j.util.Simd#VECTOR} is true.
 */
final class CrfVectors {
  private static final VectorSpecies<Float> SPECIES = Vectors.FLOAT;
  private static final int LANES = SPECIES.length();

  private CrfVectors() {}

  /** The largest multiple of the vector length not above n. */
  static int loopBound(int n) {
    return SPECIES.loopBound(n);
  }

  /** ln of {@code a[from, to)} in place (to - from a multiple of the vector length). */
  static void log(float[] a, int from, int to) {
    for (int i = from; i < to; i += LANES) {
      FloatVector.fromArray(SPECIES, a, i).lanewise(VectorOperators.LOG).intoArray(a, i);
    }
  }

  /** {@link DenseCrf}'s softmax of one pixel's {@code stride} logits (plus messages, when given). */
  static void softmax(float[] logits, float[] msg, float[] work, float[] out, int row, int workRow, int stride) {
    FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    for (int c = 0; c < stride; c += LANES) {
      FloatVector x = FloatVector.fromArray(SPECIES, logits, row + c);
      if (msg != null) {
        x = x.add(FloatVector.fromArray(SPECIES, msg, workRow + c));
      }
      x.intoArray(work, workRow + c);
      max = max.max(x);
    }
    float m = max.reduceLanes(VectorOperators.MAX);
    FloatVector sum = FloatVector.zero(SPECIES);
    for (int c = 0; c < stride; c += LANES) {
      FloatVector e = FloatVector.fromArray(SPECIES, work, workRow + c).sub(m).lanewise(VectorOperators.EXP);
      e.intoArray(work, workRow + c);
      sum = sum.add(e);
    }
    float inv = 1f / sum.reduceLanes(VectorOperators.ADD);
    for (int c = 0; c < stride; c += LANES) {
      FloatVector.fromArray(SPECIES, work, workRow + c).mul(inv).intoArray(out, row + c);
    }
  }

  /** {@link Compatibility}: logits (+)= -mu filtered for one point. */
  static void addNegMu(
      float[] negColumns, int labels, int stride, float[] filtered, int in, float[] logits, int row, boolean accumulate) {
    for (int c = 0; c < stride; c += LANES) {
      FloatVector acc = accumulate ? FloatVector.fromArray(SPECIES, logits, row + c) : FloatVector.zero(SPECIES);
      for (int v = 0; v < labels; v++) {
        FloatVector col = FloatVector.fromArray(SPECIES, negColumns, v * stride + c);
        acc = col.fma(FloatVector.broadcast(SPECIES, filtered[in + v]), acc);
      }
      acc.intoArray(logits, row + c);
    }
  }

  /** {@link PermutohedralLattice}'s slice of one point, values [0, vb). */
  static void slice(
      float[] out, int row, float[] src, int[] offset, float[] barycentric, int e0, int d, int vs, int vb, float s,
      boolean accumulate) {
    for (int c = 0; c < vb; c += LANES) {
      FloatVector acc = accumulate ? FloatVector.fromArray(SPECIES, out, row + c) : FloatVector.zero(SPECIES);
      for (int e = e0; e <= e0 + d; e++) {
        FloatVector w = FloatVector.broadcast(SPECIES, barycentric[e] * s);
        acc = FloatVector.fromArray(SPECIES, src, offset[e] * vs + c).fma(w, acc);
      }
      acc.intoArray(out, row + c);
    }
  }

  /** dst[dstRow + c] += w in[row + c] for c in [0, vb). */
  static void splat(float[] in, int row, float[] dst, int dstRow, float w, int vb) {
    for (int c = 0; c < vb; c += LANES) {
      FloatVector.fromArray(SPECIES, in, row + c)
          .fma(FloatVector.broadcast(SPECIES, w), FloatVector.fromArray(SPECIES, dst, dstRow + c))
          .intoArray(dst, dstRow + c);
    }
  }

  /** sum[c] += part[c] for c in [from, bound). */
  static void add(float[] sum, float[] part, int from, int bound) {
    for (int c = from; c < bound; c += LANES) {
      FloatVector.fromArray(SPECIES, sum, c).add(FloatVector.fromArray(SPECIES, part, c)).intoArray(sum, c);
    }
  }

  /** dst[row + c] = src[row + c] + 0.5 (src[plus + c] + src[minus + c]) for c in [0, vb). */
  static void blur(float[] src, float[] dst, int row, int plus, int minus, int vb) {
    for (int c = 0; c < vb; c += LANES) {
      FloatVector side = FloatVector.fromArray(SPECIES, src, plus + c).add(FloatVector.fromArray(SPECIES, src, minus + c));
      side.fma(FloatVector.broadcast(SPECIES, 0.5f), FloatVector.fromArray(SPECIES, src, row + c)).intoArray(dst, row + c);
    }
  }
}
