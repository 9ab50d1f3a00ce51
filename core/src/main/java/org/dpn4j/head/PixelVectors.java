package org.dpn4j.head;

import org.dpn4j.value.Maps;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.dpn4j.util.Vectors;
import org.dpn4j.util.Parallel;

/**
 * Runs a per-pixel kernel over maps of one size, one vector of {@link #VL} pixels at a time, in
 * parallel. The kernel reads maps {@code in[i]} and writes {@code out[i]}, map c of an array at
 * {@code c * plane + p}. The last pixels of a plane that is not a multiple of VL go through the same
 * kernel on zero-padded copies, so kernels have no scalar tail.
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
