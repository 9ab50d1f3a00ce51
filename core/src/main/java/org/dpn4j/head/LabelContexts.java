package org.dpn4j.head;

import org.dpn4j.value.Maps;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * b13, the mixture of local label contexts (DESIGN.md section 1): a convolution from L maps to K*L
 * maps with an m x m kernel, stride 1, no bias, zero padding, output the size of the input. It is a
 * cross-correlation, as conv2d in deep-learning libraries:
 *
 * <pre>  out_{u*K+k}(y, x) = sum_v sum_{dy, dx = lo .. lo+m-1} w[u*K+k][v][dy-lo][dx-lo] q_v(y+dy, x+dx),
 *  lo = -floor(m/2)</pre>
 *
 * so the offsets are those of b12's window (an even kernel is half-open: 4 gives -2..1), and map
 * u*K+k is component k of label u. Weights are (K*L, L, m, m) in (out, in, h, w) order. The initial
 * value is the identity context: weight[u*K+k][u][centre] = 1 (centre = floor(m/2) on both axes),
 * all other taps 0, so every component returns q_u.
 *
 * <p>Computed exactly (to float rounding) by tiled FFTs ({@link TiledCorrelation}); the tile size
 * is chosen per image size by an operation count ({@link #tileSize}). The filters' transforms are
 * cached per tile size (a copy of the weights tells when to recompute them), with the buffers of
 * that tile size: a few tens of MB each, bounded whatever the image size. Instances are not
 * thread-safe.
 */
public final class LabelContexts implements ContextLayer {
  public static final int DEFAULT_COMPONENTS = 5;
  public static final int DEFAULT_SIZE = 9;
  /** Standard deviation of {@link #addComponentNoise}. */
  public static final double NOISE_STD = 1e-3;

  private final int labels;
  private final int components;
  private final int size;
  private final int frames;
  private final float[] weights;
  private final Map<Long, Plan> plans = new HashMap<>();
  private int[] forcedTile;

  /** A correlation and its filter spectrum, valid while the weights equal {@code of}. */
  private static final class Plan {
    final TiledCorrelation corr;
    float[] of;
    float[] spectrum;

    Plan(TiledCorrelation corr) {
      this.corr = corr;
    }
  }

  /** b13 for {@code labels} labels with {@code components} components each, kernel size x size, at its identity value. */
  public LabelContexts(int labels, int components, int size) {
    this(labels, components, size, 1);
  }

  /**
   * b13 over {@code frames} maps per label: the input is L*F maps, label-major (map v*F + f), and
   * the weights are (K*L, L, F, m, m); F = 3 is the spatio-temporal b13 (DESIGN.md "Spatio-temporal
   * DPN"), F = 1 the 2D one. The identity value sits on the middle frame f = floor(F/2).
   */
  public LabelContexts(int labels, int components, int size, int frames) {
    if (labels < 1 || components < 1 || size < 1 || frames < 1) {
      throw new IllegalArgumentException(
          "labels, components, kernel size and frames must be positive, got "
              + labels + ", " + components + ", " + size + ", " + frames);
    }
    this.labels = labels;
    this.components = components;
    this.size = size;
    this.frames = frames;
    this.weights = new float[components * labels * inputs() * size * size];
    int centre = (size / 2) * size + size / 2;
    for (int u = 0; u < labels; u++) {
      for (int k = 0; k < components; k++) {
        weights[index(u * components + k, u * frames + frames / 2) + centre] = 1f;
      }
    }
  }

  /** b13 with the paper's defaults: K = 5 components, 9 x 9 kernels. */
  public LabelContexts(int labels) {
    this(labels, DEFAULT_COMPONENTS, DEFAULT_SIZE);
  }

  public int labels() {
    return labels;
  }

  public int components() {
    return components;
  }

  public int size() {
    return size;
  }

  /** Input maps per label: 1 for the 2D b13, 3 for the spatio-temporal one. */
  public int frames() {
    return frames;
  }

  /** Input maps, L*F. */
  public int inputs() {
    return labels * frames;
  }

  /** The live weights, (K*L, L, m, m) (or (K*L, L, F, m, m)); changes are picked up by the next forward or backward. */
  public float[] weights() {
    return weights;
  }

  private int index(int out, int in) {
    return (out * inputs() + in) * size * size;
  }

  /**
   * Adds N(0, {@link #NOISE_STD}^2) to every tap of the components k >= 1 (the {@code contexts}
   * stage starts with it, so that identical components stop sharing b14's arg-min); deterministic
   * for a seed, component 0 untouched.
   */
  public void addComponentNoise(long seed) {
    Random random = new Random(seed);
    for (int u = 0; u < labels; u++) {
      for (int k = 1; k < components; k++) {
        int from = index(u * components + k, 0);
        int to = index(u * components + k + 1, 0);
        for (int i = from; i < to; i++) {
          weights[i] += (float) (NOISE_STD * random.nextGaussian());
        }
      }
    }
  }

  /** b13 of {@code q} (L maps, or L*F): K*L maps of the same size. */
  public Maps forward(Maps q) {
    requireLabels(q);
    Plan plan = plan(q.h, q.w);
    return plan.corr.forward(q, plan.spectrum, 1);
  }

  /**
   * b14 of b13 of {@code q}: {@code min_k out_{u*K+k}}, L maps, equal to {@code new
   * BlockMinPool(K).forward(forward(q))} but without materialising the K*L maps (the minimum is
   * taken tile by tile), for inference. Training needs {@link #forward} for b14's arg-min.
   */
  public Maps forwardMin(Maps q) {
    requireLabels(q);
    Plan plan = plan(q.h, q.w);
    return plan.corr.forward(q, plan.spectrum, components);
  }

  /** Gradients of a loss: w.r.t. b13's input (L maps, or L*F) and w.r.t. the weights (shaped like them). */
  public record Gradients(Maps input, float[] weights) {}

  /** Backward for the input {@code q} and the loss gradient {@code gradOut} w.r.t. the output. */
  public Gradients backward(Maps q, Maps gradOut) {
    requireLabels(q);
    if (gradOut.c != labels * components) {
      throw new IllegalArgumentException(
          "b13 output gradient has " + gradOut.c + " maps, expected K*L = " + labels * components);
    }
    Plan plan = plan(q.h, q.w);
    TiledCorrelation.Gradients g = plan.corr.backward(q, gradOut, plan.spectrum);
    return new Gradients(g.input(), g.weights());
  }

  private void requireLabels(Maps q) {
    if (q.c != inputs()) {
      throw new IllegalArgumentException(
          "b13 input has " + q.c + " maps, expected " + (frames == 1 ? "L = " + labels : "L*F = " + inputs()));
    }
  }

  /** Uses ny x nx FFT tiles whatever the image size (tests, benchmarks); null restores the choice by cost. */
  void forceTile(int[] nyNx) {
    this.forcedTile = nyNx;
  }

  private Plan plan(int h, int w) {
    int[] t = forcedTile != null ? forcedTile : tileSize(h, w, size, inputs(), labels * components);
    Plan plan = plans.computeIfAbsent(
        ((long) t[0] << 32) | t[1],
        k -> new Plan(new TiledCorrelation(inputs(), labels * components, size, t[0], t[1])));
    if (plan.of == null || !Arrays.equals(plan.of, weights)) {
      plan.of = weights.clone();
      plan.spectrum = plan.corr.spectrum(weights);
    }
    return plan;
  }

  /**
   * The FFT tile (ny, nx), powers of two, that minimises an operation count for an h x w image:
   * per tile slot (VL tiles share a transform) the channel mixing (8 cin cout flops per bin) and
   * the transforms (5 n log2 n flops per complex transform, two maps per transform). Tiles stay
   * within 2048 points (unless the kernel needs more): the work arrays of larger ones leave L2
   * and measured slower than the count says (at 1024 x 2048 x 19 labels, one thread: 128 x 64
   * 608 ms, 64 x 64 594 ms, 32 x 64 510-560 ms).
   */
  static int[] tileSize(int h, int w, int m, int cin, int cout) {
    int[] best = null;
    double bestCost = Double.MAX_VALUE;
    int min = Math.max(2, Integer.highestOneBit(Math.max(1, m - 1)) << 1);
    int maxPoints = Math.max(2048, 4 * min * min);
    for (int ny = min; ny <= maxPoints / min; ny <<= 1) {
      for (int nx = min; ny * nx <= maxPoints; nx <<= 1) {
        long tiles = ceilDiv(h, ny - m + 1) * ceilDiv(w, nx - m + 1);
        long slots = ceilDiv(tiles, LaneFft.VL) * LaneFft.VL;
        double n = (double) ny * nx;
        double mix = 8.0 * ny * (nx / 2 + 1) * cin * cout;
        double transforms = ((cin + 1) / 2 + (cout + 1) / 2) * 5 * n * (Math.log(n) / Math.log(2));
        double cost = slots * (mix + transforms);
        if (cost < bestCost) {
          bestCost = cost;
          best = new int[] {ny, nx};
        }
      }
    }
    return best;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
