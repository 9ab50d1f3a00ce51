package org.dpn4j.head;


import java.util.Arrays;
import java.util.Objects;
import org.dpn4j.value.Maps;

/**
 * b13 of the spatio-temporal DPN (DESIGN.md section 1, "Spatio-temporal DPN"): label contexts over
 * m_c x m_c x 3, a convolution over the three frames' contributions of the 3D b12,
 *
 * <pre>  out = sum_{tau = -1, 0, +1} conv2d(o^tau, kernel_tau),   weights (K*L, L, 3, m_c, m_c)</pre>
 *
 * (tap [u*K+k][v][tau+1][sy][sx], offsets as the 2D b13's), default 7 x 7 x 3 as in the paper. It is
 * the 2D {@link LabelContexts} with three input maps per label (one tiled-FFT correlation from 3L
 * to K*L maps): the input, frame-major as {@link TriplePenalty3d} stacks it, is reordered label-major.
 * {@link #from} initialises it from a 2D b13: its taps centre-cropped (or zero-padded) onto tau = 0,
 * zero on tau = +-1; with the 2D kernel size kept the 3D head then starts equal to the 2D head.
 */
public final class LabelContexts3d implements ContextLayer {
  /** The paper's 3D b13 kernel, 7 x 7 x 3. */
  public static final int DEFAULT_SIZE = 7;

  private final LabelContexts b13;

  /** At the initial value: the identity context on tau = 0, zero on tau = +-1. */
  public LabelContexts3d(int labels, int components, int size) {
    this.b13 = new LabelContexts(labels, components, size, FrameStack.FRAMES);
  }

  /**
   * A 3D b13 of kernel size x size whose tau = 0 taps are those of {@code b13} at the same offsets
   * (centre-cropped from a larger 2D kernel, zero-padded from a smaller one) and whose tau = +-1 taps
   * are zero.
   */
  public static LabelContexts3d from(LabelContexts b13, int size) {
    Objects.requireNonNull(b13, "b13");
    if (b13.frames() != 1) {
      throw new IllegalArgumentException("expected a 2D b13 (one frame), got one with " + b13.frames() + " frames");
    }
    LabelContexts3d out = new LabelContexts3d(b13.labels(), b13.components(), size);
    float[] to = out.weights();
    Arrays.fill(to, 0f);
    float[] from = b13.weights();
    int m2 = b13.size();
    // Tap s of a kernel of size m is the offset s - floor(m/2).
    int shift = m2 / 2 - size / 2;
    int filters = b13.labels() * b13.components() * b13.labels();
    for (int f = 0; f < filters; f++) {
      int dst = (f * FrameStack.FRAMES + 1) * size * size;
      for (int sy = 0; sy < size; sy++) {
        for (int sx = 0; sx < size; sx++) {
          int ty = sy + shift;
          int tx = sx + shift;
          if (ty >= 0 && ty < m2 && tx >= 0 && tx < m2) {
            to[dst + sy * size + sx] = from[(f * m2 + ty) * m2 + tx];
          }
        }
      }
    }
    return out;
  }

  public int labels() {
    return b13.labels();
  }

  public int components() {
    return b13.components();
  }

  public int size() {
    return b13.size();
  }

  /** The live weights, (K*L, L, 3, m_c, m_c); changes are picked up by the next forward or backward. */
  public float[] weights() {
    return b13.weights();
  }

  /** b13 of the 3D b12's stacked output (3L maps, tau = -1, 0, +1): K*L maps. */
  public Maps forward(Maps stacked) {
    return b13.forward(FrameStack.labelMajor(requireStack(stacked)));
  }

  /** b14 of {@link #forward} without the K*L maps (inference; see {@link LabelContexts#forwardMin}). */
  public Maps forwardMin(Maps stacked) {
    return b13.forwardMin(FrameStack.labelMajor(requireStack(stacked)));
  }

  /** Gradients w.r.t. the stacked input (3L maps, frame-major like the input) and the weights. */
  public LabelContexts.Gradients backward(Maps stacked, Maps gradOut) {
    LabelContexts.Gradients g = b13.backward(FrameStack.labelMajor(requireStack(stacked)), gradOut);
    return new LabelContexts.Gradients(FrameStack.frameMajor(g.input()), g.weights());
  }

  private Maps requireStack(Maps stacked) {
    if (stacked.c != FrameStack.FRAMES * labels()) {
      throw new IllegalArgumentException(
          "the 3D b13 expects the three frames' " + labels() + " label maps (3L = " + 3 * labels()
              + "), got " + stacked.shape());
    }
    return stacked;
  }
}
