package org.dpn4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.dpn4j.value.Maps;

/**
 * Per-pixel label probabilities (or logits) from a {@code .npy} file or an array of a {@code .npz}
 * archive for an image of known size, checked so that every problem is refused with a message
 * naming the file: float64, float32 or float16 in any byte order and C or Fortran order ({@link
 * Npy}), rank 3, laid out (L, H, W) or (H, W, L) with H x W the image's (when both fit,
 * that is L = H = W, (L, H, W) is taken), finite, and for probabilities >= 0 with each pixel's sum
 * within {@link #SUM_TOLERANCE} of 1.
 */
public final class ProbabilityFile {

  /** How far a pixel's probabilities may sum from 1 (float16 files: {@link #SUM_TOLERANCE_F16}). */
  static final double SUM_TOLERANCE = 1e-3;

  /** float16 keeps ~3 decimal digits: 21 rounded values can sum 5e-3 away from 1. */
  static final double SUM_TOLERANCE_F16 = 1e-2;

  private ProbabilityFile() {}

  /**
   * Reads {@code file} (array {@code key} of an .npz; null: its only one) as L x h x w probabilities
   * for {@code image} (named in size errors); with {@code logits} the values are logits and each
   * pixel gets a softmax over the labels.
   */
  public static Maps read(Path file, String key, Path image, int h, int w, boolean logits) throws IOException {
    Npy.NpyArray a = Npy.read(file, key);
    if (a.dtype() != DType.F32 && a.dtype() != DType.F16 && a.dtype() != DType.F64) {
      throw new IllegalArgumentException(
          file + ": dtype " + (a.dtype() == DType.U8 ? "uint8" : a.dtype() == DType.I32 ? "int32" : a.dtype())
              + " holds labels, not probabilities: they must be float64, float32 or float16");
    }
    int[] s = a.shape();
    if (s.length != 3) {
      throw new IllegalArgumentException(
          file + ": shape " + Arrays.toString(s) + " has rank " + s.length + ", expected 3: (L, H, W) or (H, W, L)");
    }
    Maps p = toLabelMajor(a.toFloats(), s, file, image, h, w);
    requireFinite(p, file);
    if (logits) {
      softmax(p);
    } else {
      requireProbabilities(p, file, a.dtype() == DType.F16 ? SUM_TOLERANCE_F16 : SUM_TOLERANCE);
    }
    return p;
  }

  /** (L, H, W) as it is, or (H, W, L) transposed; anything else is an error naming both files and sizes. */
  private static Maps toLabelMajor(float[] v, int[] s, Path file, Path image, int h, int w) {
    if (v.length == 0) {
      throw new IllegalArgumentException(file + ": shape " + Arrays.toString(s)
          + " holds no values: probabilities need at least one label, (L, " + h + ", " + w + ") with L >= 1");
    }
    if (s[1] == h && s[2] == w && s[0] > 0) {
      return new Maps(s[0], h, w, v);
    }
    if (s[0] == h && s[1] == w && s[2] > 0) {
      int labels = s[2];
      Maps p = new Maps(labels, h, w);
      int plane = h * w;
      for (int i = 0; i < plane; i++) {
        for (int l = 0; l < labels; l++) {
          p.data[l * plane + i] = v[i * labels + l];
        }
      }
      return p;
    }
    throw new IllegalArgumentException(
        file + " has shape " + Arrays.toString(s) + " but " + image + " is " + w + "x" + h
            + " (W x H): expected (L, " + h + ", " + w + ") or (" + h + ", " + w + ", L)");
  }

  private static void requireFinite(Maps p, Path file) {
    for (int i = 0; i < p.data.length; i++) {
      if (!Float.isFinite(p.data[i])) {
        throw new IllegalArgumentException(file + ": " + p.data[i] + " at " + where(p, i) + " (values must be finite)");
      }
    }
  }

  private static void requireProbabilities(Maps p, Path file, double tolerance) {
    int plane = p.plane();
    for (int i = 0; i < plane; i++) {
      double sum = 0;
      for (int l = 0; l < p.c; l++) {
        float v = p.data[l * plane + i];
        if (v < 0) {
          throw new IllegalArgumentException(
              file + ": negative probability " + v + " at " + where(p, l * plane + i)
                  + "; if the file holds logits (scores before the softmax), add --logits");
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > tolerance) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s: the probabilities at (x=%d, y=%d) sum to %.6g, not 1 (tolerance %.0e); if the file holds"
                    + " logits (scores before the softmax), add --logits",
                file, i % p.w, i / p.w, sum, tolerance));
      }
    }
  }

  /** Each pixel's softmax over the labels, in place (computed in double, shifted by the maximum). */
  private static void softmax(Maps p) {
    int plane = p.plane();
    double[] e = new double[p.c];
    for (int i = 0; i < plane; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int l = 0; l < p.c; l++) {
        max = Math.max(max, p.data[l * plane + i]);
      }
      double sum = 0;
      for (int l = 0; l < p.c; l++) {
        e[l] = Math.exp(p.data[l * plane + i] - max);
        sum += e[l];
      }
      for (int l = 0; l < p.c; l++) {
        p.data[l * plane + i] = (float) (e[l] / sum);
      }
    }
  }

  /** "label l at (x=.., y=..)" of flat index i of label-major maps. */
  private static String where(Maps p, int i) {
    int plane = p.plane();
    int px = i % plane;
    return "label " + i / plane + ", (x=" + px % p.w + ", y=" + px / p.w + ")";
  }
}
