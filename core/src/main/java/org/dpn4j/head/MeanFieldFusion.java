package org.dpn4j.head;

import org.dpn4j.value.Maps;

import static org.dpn4j.head.PixelVectors.SP;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.dpn4j.util.VectorExp;

/**
 * b15, the fusion of the unary with b14 (DESIGN.md section 1), one mean-field step:
 *
 * <pre>  P_j^u = softmax_u( ln p_j^u - b14_j^u )</pre>
 *
 * The unary is given either as log-probabilities (the log-softmax of the unary's logits, used as
 * they are) or as probabilities p, used as ln(max(p, 1e-8)). Backward, with s = ln p - b14 and
 * g = dL/dP: {@code dL/ds_u = P_u (g_u - sum_v P_v g_v)}, {@code dL/db14 = -dL/ds},
 * {@code dL/d(ln p) = dL/ds}, and {@code dL/dp = dL/ds / p} where p > 1e-8 (0 where clamped).
 */
public final class MeanFieldFusion {
  /** The floor of probabilities before the logarithm. */
  public static final float MIN_PROBABILITY = 1e-8f;

  /** How the unary input is given. */
  public enum Unary {
    PROBABILITIES,
    LOG_PROBABILITIES
  }

  private final Unary unary;

  public MeanFieldFusion(Unary unary) {
    this.unary = unary;
  }

  public Unary unary() {
    return unary;
  }

  /** P (L maps) from the unary (L maps, as set by {@link #unary()}) and b14 (L maps). */
  public Maps forward(Maps unaryIn, Maps b14) {
    requireSameShape(unaryIn, b14, "b14");
    Maps out = unaryIn.zerosLike();
    int n = unaryIn.c;
    boolean logs = unary == Unary.LOG_PROBABILITIES;
    FloatVector floor = FloatVector.broadcast(SP, MIN_PROBABILITY);
    PixelVectors.apply(
        new Maps[] {unaryIn, b14},
        new Maps[] {out},
        (x, y, plane, p) -> {
          // From probabilities no logarithm is taken: P_u = p_u exp(c - b_u) / sum_v p_v exp(c - b_v)
          // with c = min_v b_v, so every exponent is <= 0 and the term of the minimum is >= 1e-8.
          // From log-probabilities c = max_v (ln p_v - b_v), the usual stable softmax.
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
    int n = unaryIn.c;
    boolean logs = unary == Unary.LOG_PROBABILITIES;
    FloatVector floor = FloatVector.broadcast(SP, MIN_PROBABILITY);
    PixelVectors.apply(
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
    return new Gradients(gUnary, gB14);
  }

  private static void requireSameShape(Maps a, Maps b, String what) {
    if (!a.sameShape(b)) {
      throw new IllegalArgumentException(what + " is " + b.shape() + " but the unary is " + a.shape());
    }
  }
}
