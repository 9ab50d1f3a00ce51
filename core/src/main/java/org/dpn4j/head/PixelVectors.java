package org.dpn4j.head;

import org.dpn4j.value.Maps;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Parallel;
import org.dpn4j.util.VectorExp;
import org.dpn4j.util.Vectors;

/**
 * Runs a per-pixel kernel over maps of one size, one vector of {@link #VL} pixels at a time, in
 * parallel. The kernel reads maps {@code in[i]} and writes {@code out[i]}, map c of an array at
 * {@code c * plane + p}. The last pixels of a plane that is not a multiple of VL go through the same
 * kernel on zero-padded copies, so kernels have no scalar tail. Holds the Vector API forms of b14
 * ({@link BlockMinPool}) and b15 ({@link MeanFieldFusion}), whose classes hold the plain forms and
 * the documentation; loaded only when {@link org.dpn4j.util.Simd#VECTOR} is true.
 */
final class PixelVectors {
  static final VectorSpecies<Float> SP = Vectors.FLOAT;
  static final int VL = SP.length();
  /** Pixel vectors per parallel task. */
  private static final int CHUNK = 256;

  interface Kernel {
    void run(float[][] in, float[][] out, int plane, int p);
  }

  private PixelVectors() {}

  static void apply(Maps[] in, Maps[] out, Kernel kernel) {
    int plane = in[0].plane();
    float[][] ins = data(in);
    float[][] outs = data(out);
    int vectors = plane / VL;
    Parallel.forEach(
        (vectors + CHUNK - 1) / CHUNK,
        c -> {
          int end = Math.min(vectors, (c + 1) * CHUNK);
          for (int v = c * CHUNK; v < end; v++) {
            kernel.run(ins, outs, plane, v * VL);
          }
        });
    int tail = plane - vectors * VL;
    if (tail > 0) {
      float[][] ti = padded(in, vectors * VL, tail);
      float[][] to = padded(out, vectors * VL, 0);
      kernel.run(ti, to, VL, 0);
      for (int i = 0; i < out.length; i++) {
        for (int c = 0; c < out[i].c; c++) {
          System.arraycopy(to[i], c * VL, outs[i], c * plane + vectors * VL, tail);
        }
      }
    }
  }

  /** b14 forward: the minimum over each label's K maps of {@code in} into {@code out}. */
  static void minPool(Maps in, Maps out, int components) {
    int labels = out.c;
    apply(
        new Maps[] {in},
        new Maps[] {out},
        (x, y, plane, p) -> {
          for (int u = 0; u < labels; u++) {
            min(x[0], u, components, plane, p).intoArray(y[0], u * plane + p);
          }
        });
  }

  /** b14 backward: {@code gradOut} to the first arg-min component of each label, into {@code grad}. */
  static void minPoolBackward(Maps in, Maps gradOut, Maps grad, int components) {
    int labels = gradOut.c;
    apply(
        new Maps[] {in, gradOut},
        new Maps[] {grad},
        (x, y, plane, p) -> {
          for (int u = 0; u < labels; u++) {
            FloatVector min = min(x[0], u, components, plane, p);
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
  }

  private static FloatVector min(float[] in, int u, int components, int plane, int p) {
    FloatVector min = FloatVector.fromArray(SP, in, u * components * plane + p);
    for (int k = 1; k < components; k++) {
      min = min.min(FloatVector.fromArray(SP, in, (u * components + k) * plane + p));
    }
    return min;
  }

  /** b15 forward into {@code out}, as {@link MeanFieldFusion#forward}. */
  static void fusion(Maps unaryIn, Maps b14, Maps out, boolean logs) {
    int n = unaryIn.c;
    FloatVector floor = FloatVector.broadcast(SP, MeanFieldFusion.MIN_PROBABILITY);
    apply(
        new Maps[] {unaryIn, b14},
        new Maps[] {out},
        (x, y, plane, p) -> {
          FloatVector shift = logs ? FloatVector.broadcast(SP, Float.NEGATIVE_INFINITY) : FloatVector.broadcast(SP, Float.POSITIVE_INFINITY);
          for (int u = 0; u < n; u++) {
            FloatVector b = FloatVector.fromArray(SP, x[1], u * plane + p);
            shift = logs ? shift.max(FloatVector.fromArray(SP, x[0], u * plane + p).sub(b)) : shift.min(b);
          }
          FloatVector sum = FloatVector.zero(SP);
          for (int u = 0; u < n; u++) {
            FloatVector a = FloatVector.fromArray(SP, x[0], u * plane + p);
            FloatVector b = FloatVector.fromArray(SP, x[1], u * plane + p);
            FloatVector e = logs
                ? VectorExp.exp(a.sub(b).sub(shift))
                : a.max(floor).mul(VectorExp.exp(shift.sub(b)));
            e.intoArray(y[0], u * plane + p);
            sum = sum.add(e);
          }
          FloatVector inv = FloatVector.broadcast(SP, 1f).div(sum);
          for (int u = 0; u < n; u++) {
            FloatVector.fromArray(SP, y[0], u * plane + p).mul(inv).intoArray(y[0], u * plane + p);
          }
        });
  }

  /** b15 backward into {@code gUnary} and {@code gB14}, as {@link MeanFieldFusion#backward}. */
  static void fusionBackward(Maps unaryIn, Maps output, Maps gradOut, Maps gUnary, Maps gB14, boolean logs) {
    int n = unaryIn.c;
    FloatVector floor = FloatVector.broadcast(SP, MeanFieldFusion.MIN_PROBABILITY);
    apply(
        new Maps[] {unaryIn, output, gradOut},
        new Maps[] {gUnary, gB14},
        (x, y, plane, p) -> {
          FloatVector dot = FloatVector.zero(SP);
          for (int u = 0; u < n; u++) {
            dot = FloatVector.fromArray(SP, x[1], u * plane + p).fma(FloatVector.fromArray(SP, x[2], u * plane + p), dot);
          }
          for (int u = 0; u < n; u++) {
            int i = u * plane + p;
            FloatVector ds = FloatVector.fromArray(SP, x[1], i).mul(FloatVector.fromArray(SP, x[2], i).sub(dot));
            ds.neg().intoArray(y[1], i);
            if (logs) {
              ds.intoArray(y[0], i);
            } else {
              FloatVector a = FloatVector.fromArray(SP, x[0], i);
              VectorMask<Float> live = a.compare(VectorOperators.GT, floor);
              FloatVector.zero(SP).blend(ds.div(a), live).intoArray(y[0], i);
            }
          }
        });
  }

  private static float[][] data(Maps[] maps) {
    float[][] d = new float[maps.length][];
    for (int i = 0; i < maps.length; i++) {
      d[i] = maps[i].data;
    }
    return d;
  }

  /** Copies of the maps with planes of VL pixels holding pixels [from, from + count), zeros after. */
  private static float[][] padded(Maps[] maps, int from, int count) {
    float[][] d = new float[maps.length][];
    for (int i = 0; i < maps.length; i++) {
      d[i] = new float[maps[i].c * VL];
      for (int c = 0; c < maps[i].c; c++) {
        System.arraycopy(maps[i].data, c * maps[i].plane() + from, d[i], c * VL, count);
      }
    }
    return d;
  }
}
