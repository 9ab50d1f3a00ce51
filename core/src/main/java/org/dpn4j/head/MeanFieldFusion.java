package org.dpn4j.head;

import org.dpn4j.util.Exp;
import org.dpn4j.util.Parallel;
import org.dpn4j.util.Simd;
import org.dpn4j.value.Maps;

/**
 * b15, the fusion of the unary with b14 (DESIGN.md section 1), one mean-field step:
 *
 * <pre>  P_j^u = softmax_u( ln p_j^u - b14_j^u )</pre>
 *
 * The unary is given either as log-probabilities (the log-softmax of the unary's logits, used as
 * they are) or as probabilities p, used as ln(max(p, 1e-8)). Backward, with s = ln p - b14 and
 * g = dL/dP: {@code dL/ds_u = P_u (g_u - sum_v P_v g_v)}, {@code dL/db14 = -dL/ds},
 * {@code dL/d(ln p) = dL/ds}, and {@code dL/dp = dL/ds / p} where p > 1e-8 (0 where clamped).
 * With the Vector API the loops run in {@link PixelVectors} (the same operations per lane), else
 * here.
 */
public final class MeanFieldFusion {
  /** The floor of probabilities before the logarithm. */
  public static final float MIN_PROBABILITY = 1e-8f;

  /** Pixels per parallel task of the plain loops. */
  private static final int CHUNK = 4096;

  /** How the unary input is given. */
  public enum Unary {
    /** Probabilities p, used as ln(max(p, 1e-8)). */
    PROBABILITIES,
    /** Log-probabilities ln p, used as they are. */
    LOG_PROBABILITIES
  }

  private final Unary unary;

  /** b15 for a unary given as {@code unary} says. */
  public MeanFieldFusion(Unary unary) {
    this.unary = unary;
  }

  /** How the unary input is given. */
  public Unary unary() {
    return unary;
  }

  /** P (L maps) from the unary (L maps, as set by {@link #unary()}) and b14 (L maps). */
  public Maps forward(Maps unaryIn, Maps b14) {
    requireSameShape(unaryIn, b14, "b14");
    Maps out = unaryIn.zerosLike();
    boolean logs = unary == Unary.LOG_PROBABILITIES;
    if (Simd.VECTOR) {
      PixelVectors.fusion(unaryIn, b14, out, logs);
      return out;
    }
    int n = unaryIn.c;
    int plane = unaryIn.plane();
    float[] a = unaryIn.data;
    float[] b = b14.data;
    float[] y = out.data;
    Parallel.forRanges(plane, CHUNK, (p0, p1) -> {
      for (int p = p0; p < p1; p++) {
        // From probabilities no logarithm is taken: P_u = p_u exp(c - b_u) / sum_v p_v exp(c - b_v)
        // with c = min_v b_v, so every exponent is <= 0 and the term of the minimum is >= 1e-8.
        // From log-probabilities c = max_v (ln p_v - b_v), the usual stable softmax.
        float shift = logs ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int u = 0; u < n; u++) {
          int i = u * plane + p;
          shift = logs ? Math.max(shift, a[i] - b[i]) : Math.min(shift, b[i]);
        }
        float sum = 0f;
        for (int u = 0; u < n; u++) {
          int i = u * plane + p;
          float e = logs ? Exp.exp(a[i] - b[i] - shift) : Math.max(a[i], MIN_PROBABILITY) * Exp.exp(shift - b[i]);
          y[i] = e;
          sum += e;
        }
        float inv = 1f / sum;
        for (int u = 0; u < n; u++) {
          y[u * plane + p] *= inv;
        }
      }
    });
    return out;
  }

  /** Gradients w.r.t. the unary input (as given: ln p or p) and w.r.t. b14. */
  public record Gradients(Maps unary, Maps b14) {}

  /** Backward from the unary input, the output P of {@link #forward} and g = dL/dP. */
  public Gradients backward(Maps unaryIn, Maps output, Maps gradOut) {
    requireSameShape(unaryIn, output, "b15 output");
    requireSameShape(unaryIn, gradOut, "b15 output gradient");
    Maps gUnary = unaryIn.zerosLike();
    Maps gB14 = unaryIn.zerosLike();
    boolean logs = unary == Unary.LOG_PROBABILITIES;
    if (Simd.VECTOR) {
      PixelVectors.fusionBackward(unaryIn, output, gradOut, gUnary, gB14, logs);
      return new Gradients(gUnary, gB14);
    }
    float[] prob = output.data;
    float[] g = gradOut.data;
    float[] a = unaryIn.data;
    int n = unaryIn.c;
    int plane = unaryIn.plane();
    Parallel.forRanges(plane, CHUNK, (p0, p1) -> {
      for (int p = p0; p < p1; p++) {
        float dot = 0f;
        for (int u = 0; u < n; u++) {
          dot += prob[u * plane + p] * g[u * plane + p];
        }
        for (int u = 0; u < n; u++) {
          int i = u * plane + p;
          float ds = prob[i] * (g[i] - dot);
          gB14.data[i] = -ds;
          gUnary.data[i] = logs ? ds : a[i] > MIN_PROBABILITY ? ds / a[i] : 0f;
        }
      }
    });
    return new Gradients(gUnary, gB14);
  }

  private static void requireSameShape(Maps a, Maps b, String what) {
    if (!a.sameShape(b)) {
      throw new IllegalArgumentException(what + " is " + b.shape() + " but the unary is " + a.shape());
    }
  }
}
