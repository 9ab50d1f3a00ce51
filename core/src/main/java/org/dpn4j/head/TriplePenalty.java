package org.dpn4j.head;

import org.dpn4j.value.Maps;

import java.util.Arrays;
import java.util.Objects;
import org.dpn4j.util.Parallel;

/**
 * b12, the triple penalty of the DPN (DESIGN.md section 1):
 *
 * <pre>
 *   o_j^v = c_j^v * (1/|W|) * sum_{z in W(j)} d(j, z) q_z^v
 *   d(j, z) = w_rgb * |I_j - I_z|^2 / 3  +  w_xy * ( dx^2 / (2 r_w^2) + dy^2 / (2 r_h^2) )
 * </pre>
 *
 * with the centre factor c = q (or 1), colours in [0, 1], r = m/2 per axis and |W| = m_h m_w fixed;
 * pixels of the window outside the image contribute zero. {@link #forward} uses the fast exact form
 * (box sums, O(L H W) whatever the window), {@link #forwardReference} the plain windowed loop; both
 * give the same values. With {@link Kernel#GAUSSIAN} d is the dense-CRF kernel
 *
 * <pre>
 *   k(j, z) = w_g exp(-|x_j - x_z|^2 / (2 sxy_g^2)) + w_b exp(-|x_j - x_z|^2 / (2 sxy_b^2) - |I_j - I_z|^2 / (2 srgb^2))
 * </pre>
 *
 * (colours in 0..255), computed directly over the window by both paths (the fast one reads the
 * colour factor from a 256-entry table when the colours are integers).
 *
 * <p>The parameters are held as float arrays of length 1 (scalars) or L ({@code perLabelWeights});
 * {@link #wRgb()}, {@link #wXy()} (linear) or {@link #wG()}, {@link #wB()} (Gaussian) return the
 * live arrays for an optimiser or a model loader to update. No gradient flows to the image.
 *
 * <p>{@link #forwardLinked} and {@link #backwardLinked} compute the term of a neighbouring frame
 * for the spatio-temporal b12 ({@code org.dpn4j.head.TriplePenalty3d}): q~ and the colour at z from
 * the frame warped into frame t, the centre factor and the colour at j from frame t.
 */
public final class TriplePenalty {

  /** The pairwise term d: b12's linear penalty or the dense-CRF Gaussian kernel. */
  public enum Kernel {
    LINEAR,
    GAUSSIAN
  }

  /**
   * The configuration, made with {@link #builder()}. Defaults ({@link #defaults()}): linear kernel,
   * {@link HeadSpec#DEFAULT}'s window (50 at reference size 512), centre factor, self term and 1/|W| on, scalar weights; for the
   * Gaussian kernel sxy_g = 3, sxy_b = 80, srgb = 13 (the usual dense-CRF settings).
   *
   * <ul>
   *   <li>{@code centreFactor}: c = q (on) or c = 1.
   *   <li>{@code selfTerm}: off skips z = j. For the linear kernel d(j, j) = 0, so it changes
   *       nothing there; it matters for the Gaussian kernel (k(j, j) = w_g + w_b).
   *   <li>{@code normalise}: the factor 1/|W| (|W| = m_h m_w; with {@link Window#all()} m = 2H-1
   *       by 2W-1).
   *   <li>{@code perLabelWeights}: the two weights as vectors of length L instead of shape [1].
   * </ul>
   */
  public record Options(
      Kernel kernel,
      Window window,
      boolean centreFactor,
      boolean selfTerm,
      boolean normalise,
      boolean perLabelWeights,
      double sxyG,
      double sxyB,
      double srgb) {

    public Options {
      Objects.requireNonNull(kernel, "kernel");
      Objects.requireNonNull(window, "window");
      if (!(sxyG > 0 && sxyB > 0 && srgb > 0)) {
        throw new IllegalArgumentException(
            "Gaussian kernel widths must be positive, got sxy_g=" + sxyG + ", sxy_b=" + sxyB + ", srgb=" + srgb);
      }
    }

    /** DESIGN.md's b12: {@link Builder}'s starting values. */
    public static Options defaults() {
      return builder().build();
    }

    /** A builder at the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** A builder holding these options, to change some of them. */
    public Builder toBuilder() {
      return new Builder()
          .kernel(kernel)
          .window(window)
          .centreFactor(centreFactor)
          .selfTerm(selfTerm)
          .normalise(normalise)
          .perLabelWeights(perLabelWeights)
          .gaussianWidths(sxyG, sxyB, srgb);
    }
  }

  /**
   * Builds {@link Options} by name instead of position; starts at the defaults (the window is
   * {@link HeadSpec#DEFAULT}'s).
   */
  public static final class Builder {
    private Kernel kernel = Kernel.LINEAR;
    private Window window = HeadSpec.DEFAULT.window();
    private boolean centreFactor = true;
    private boolean selfTerm = true;
    private boolean normalise = true;
    private boolean perLabelWeights;
    private double sxyG = 3;
    private double sxyB = 80;
    private double srgb = 13;

    private Builder() {}

    public Builder kernel(Kernel k) {
      kernel = k;
      return this;
    }

    public Builder window(Window w) {
      window = w;
      return this;
    }

    public Builder centreFactor(boolean on) {
      centreFactor = on;
      return this;
    }

    public Builder selfTerm(boolean on) {
      selfTerm = on;
      return this;
    }

    public Builder normalise(boolean on) {
      normalise = on;
      return this;
    }

    public Builder perLabelWeights(boolean on) {
      perLabelWeights = on;
      return this;
    }

    /** The Gaussian kernel's widths sxy_g, sxy_b (pixels) and srgb (colours 0..255). */
    public Builder gaussianWidths(double sxyGaussian, double sxyBilateral, double srgbBilateral) {
      sxyG = sxyGaussian;
      sxyB = sxyBilateral;
      srgb = srgbBilateral;
      return this;
    }

    public Options build() {
      return new Options(kernel, window, centreFactor, selfTerm, normalise, perLabelWeights, sxyG, sxyB, srgb);
    }
  }

  /**
   * The two sums of b12 without weights and centre factor, (1/|W|) included: colour = (1/|W|)
   * sum_z |I_j - I_z|^2 / 3 q_z and position = (1/|W|) sum_z (dx^2/(2 r_w^2) + dy^2/(2 r_h^2)) q_z;
   * for the Gaussian kernel colour is the bilateral part (weight w_b) and position the spatial one
   * (weight w_g).
   */
  public record Parts(Maps colour, Maps position) {}

  /**
   * Gradients of a loss: {@code q} for the input, {@code colourWeight} for w_rgb (w_b) and {@code
   * positionWeight} for w_xy (w_g), shaped like the parameters.
   */
  public record Gradients(Maps q, float[] colourWeight, float[] positionWeight)
      implements MeanFieldHead.PenaltyWeightGradients {}

  private final int labels;
  private final Options options;
  private final float[] colourWeight;
  private final float[] positionWeight;

  /**
   * b12 for {@code labels} labels with the initial weights: w_rgb = w_xy = 1, or for the Gaussian
   * kernel w_g = 3, w_b = 10.
   */
  public TriplePenalty(int labels, Options options) {
    if (labels < 1) {
      throw new IllegalArgumentException("labels must be positive, got " + labels);
    }
    this.labels = labels;
    this.options = Objects.requireNonNull(options, "options");
    int n = options.perLabelWeights() ? labels : 1;
    boolean gaussian = options.kernel() == Kernel.GAUSSIAN;
    colourWeight = filled(n, gaussian ? 10 : 1);
    positionWeight = filled(n, gaussian ? 3 : 1);
  }

  private TriplePenalty(int labels, Options options, float[] colourWeight, float[] positionWeight) {
    this.labels = labels;
    this.options = options;
    this.colourWeight = colourWeight;
    this.positionWeight = positionWeight;
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }

  public int labels() {
    return labels;
  }

  /** A b12 with the same options and a copy of the current weights. */
  public TriplePenalty copy() {
    TriplePenalty c = new TriplePenalty(labels, options);
    System.arraycopy(colourWeight, 0, c.colourWeight, 0, colourWeight.length);
    System.arraycopy(positionWeight, 0, c.positionWeight, 0, positionWeight.length);
    return c;
  }

  public Options options() {
    return options;
  }

  /**
   * This b12 with another window: the same options otherwise and the same live weight arrays
   * (changes to either are seen by both), as a {@code --window} override needs.
   */
  public TriplePenalty withWindow(Window window) {
    return new TriplePenalty(labels, options.toBuilder().window(window).build(), colourWeight, positionWeight);
  }

  /** w_rgb (linear kernel), length 1 or L; the live array. */
  public float[] wRgb() {
    return weights(Kernel.LINEAR, colourWeight, "w_rgb");
  }

  /** w_xy (linear kernel), length 1 or L; the live array. */
  public float[] wXy() {
    return weights(Kernel.LINEAR, positionWeight, "w_xy");
  }

  /** w_g, the spatial Gaussian's weight (Gaussian kernel), length 1 or L; the live array. */
  public float[] wG() {
    return weights(Kernel.GAUSSIAN, positionWeight, "w_g");
  }

  /** w_b, the bilateral kernel's weight (Gaussian kernel), length 1 or L; the live array. */
  public float[] wB() {
    return weights(Kernel.GAUSSIAN, colourWeight, "w_b");
  }

  private float[] weights(Kernel k, float[] w, String name) {
    if (options.kernel() != k) {
      throw new IllegalStateException(name + " belongs to the " + k + " kernel, this b12 uses " + options.kernel());
    }
    return w;
  }

  /** The window used on an h x w input. */
  public Window windowFor(int h, int w) {
    return options.window().resolve(h, w);
  }

  /** o = c * (1/|W|) sum_z d(j, z) q_z, by the fast path. */
  public Maps forward(Maps q, Maps image) {
    return forward(q, image, true);
  }

  /** The same as {@link #forward} by the plain windowed loop. */
  public Maps forwardReference(Maps q, Maps image) {
    return forward(q, image, false);
  }

  /** The colour and position sums (see {@link Parts}), by the fast path. */
  public Parts parts(Maps q, Maps image) {
    return parts(q, image, true);
  }

  /** The colour and position sums by the plain windowed loop. */
  public Parts partsReference(Maps q, Maps image) {
    return parts(q, image, false);
  }

  /** Gradients of a loss L given g = dL/do, by the fast path. */
  public Gradients backward(Maps q, Maps image, Maps gradOut) {
    return backward(q, image, gradOut, true);
  }

  /** The same as {@link #backward} by the plain windowed loop. */
  public Gradients backwardReference(Maps q, Maps image, Maps gradOut) {
    return backward(q, image, gradOut, false);
  }

  /**
   * The term of a neighbouring frame (the spatio-temporal b12, DESIGN.md "Spatio-temporal DPN"):
   * o_j = c_j (1/|W|) sum_{z in W(j)} d(j, z) q~_z, with the centre factor c = q (frame t), the
   * colour term |I_j - I~_z|^2 / 3 between frame t's colour at j and the neighbour's colour at z,
   * and q~, I~ the neighbour frame's maps warped into frame t. The node at z = j of another frame is
   * not j itself, so {@code selfTerm=false} does not skip it. By the fast path.
   */
  public Maps forwardLinked(Maps q, Maps image, Maps qNeighbour, Maps imageNeighbour) {
    return forward(new Term(q, image, qNeighbour, imageNeighbour, false), true);
  }

  /** The same as {@link #forwardLinked} by the plain windowed loop. */
  public Maps forwardLinkedReference(Maps q, Maps image, Maps qNeighbour, Maps imageNeighbour) {
    return forward(new Term(q, image, qNeighbour, imageNeighbour, false), false);
  }

  /**
   * Gradients of a loss given g = dL/do of {@link #forwardLinked}: {@code centre} for q (through
   * the centre factor only), {@code neighbour} for q~, and the weights'. By the fast path.
   */
  public LinkedGradients backwardLinked(Maps q, Maps image, Maps qNeighbour, Maps imageNeighbour, Maps gradOut) {
    return backwardLinked(new Term(q, image, qNeighbour, imageNeighbour, false), gradOut, true);
  }

  /** The same as {@link #backwardLinked} by the plain windowed loop. */
  public LinkedGradients backwardLinkedReference(
      Maps q, Maps image, Maps qNeighbour, Maps imageNeighbour, Maps gradOut) {
    return backwardLinked(new Term(q, image, qNeighbour, imageNeighbour, false), gradOut, false);
  }

  /**
   * Gradients of a loss through {@link #forwardLinked}: {@code centre} for q (the centre factor's
   * part; null without centre factor), {@code neighbour} for q~, and the weights', shaped like the
   * parameters.
   */
  public record LinkedGradients(Maps centre, Maps neighbour, float[] colourWeight, float[] positionWeight) {}

  /**
   * One b12 sum: the centre factor and the colour at j from (q, image), the filtered maps and the
   * colour at z from (qNeighbour, imageNeighbour); {@code sameFrame} when both are frame t (2D b12).
   */
  private record Term(Maps q, Maps image, Maps qNeighbour, Maps imageNeighbour, boolean sameFrame) {
    Term {
      Objects.requireNonNull(q, "q");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(qNeighbour, "the neighbour frame's q");
      Objects.requireNonNull(imageNeighbour, "the neighbour frame's image");
    }

    static Term of(Maps q, Maps image) {
      return new Term(q, image, q, image, true);
    }
  }

  private Maps forward(Maps q, Maps image, boolean fast) {
    return forward(Term.of(q, image), fast);
  }

  private Maps forward(Term t, boolean fast) {
    check(t);
    Maps q = t.q();
    Maps out = q.zerosLike();
    int w = q.w;
    filter(t.image(), t.imageNeighbour(), t.sameFrame(), fast)
        .apply(
            t.qNeighbour(),
            windowFor(q.h, q.w),
            (v, y, colour, position) ->
                weightedRow(v, colour, position, options.centreFactor() ? q.data : null, out.data, q.offset(v) + y * w, w, false));
    return out;
  }

  private Parts parts(Maps q, Maps image, boolean fast) {
    check(Term.of(q, image));
    Maps colourOut = q.zerosLike();
    Maps positionOut = q.zerosLike();
    int w = q.w;
    filter(image, image, true, fast)
        .apply(
            q,
            windowFor(q.h, q.w),
            (v, y, colour, position) -> {
              int base = q.offset(v) + y * w;
              for (int x = 0; x < w; x++) {
                colourOut.data[base + x] = (float) colour[x];
                positionOut.data[base + x] = (float) position[x];
              }
            });
    return new Parts(colourOut, positionOut);
  }

  private Gradients backward(Maps q, Maps image, Maps gradOut, boolean fast) {
    Maps gradQ = q.zerosLike();
    float[][] gradW = backward(Term.of(q, image), gradOut, fast, gradQ, gradQ);
    return new Gradients(gradQ, gradW[0], gradW[1]);
  }

  private LinkedGradients backwardLinked(Term t, Maps gradOut, boolean fast) {
    Maps centre = options.centreFactor() ? t.q().zerosLike() : null;
    Maps neighbour = t.qNeighbour().zerosLike();
    float[][] gradW = backward(t, gradOut, fast, centre, neighbour);
    return new LinkedGradients(centre, neighbour, gradW[0], gradW[1]);
  }

  /**
   * DESIGN.md "Backward": with S = (1/|W|) sum_z d q~_z, o = c S, g = dL/do and u = g c,
   * dL/dq~_z = (1/|W|) sum_{j: z in W(j)} d(j, z) u_j, the same filter over the mirrored window with
   * the two images swapped (d(j, z) depends on I_j and I~_z), added into {@code gradNeighbour};
   * dL/dq = g S (centre factor only), written into {@code gradCentre} first (2D b12: the same
   * maps, so the two paths sum); dL/dw = sum_{j,v} u_j^v * (its part)_j^v, returned as {colour,
   * position}.
   */
  private float[][] backward(Term t, Maps gradOut, boolean fast, Maps gradCentre, Maps gradNeighbour) {
    check(t);
    Maps q = t.q();
    if (!gradOut.sameShape(q)) {
      throw new IllegalArgumentException(
          "gradient of b12's output is " + gradOut.shape() + " but q is " + q.shape());
    }
    int h = q.h;
    int w = q.w;
    Maps u = options.centreFactor() ? product(gradOut, q) : gradOut;
    // Partial sums per (label, row): every row is written by one task, and the sum is deterministic.
    double[] gColour = new double[labels * h];
    double[] gPosition = new double[labels * h];
    Window win = windowFor(h, w);
    filter(t.image(), t.imageNeighbour(), t.sameFrame(), fast)
        .apply(
            t.qNeighbour(),
            win,
            (v, y, colour, position) -> {
              int base = q.offset(v) + y * w;
              gColour[v * h + y] = dot(u.data, base, colour, w);
              gPosition[v * h + y] = dot(u.data, base, position, w);
              if (options.centreFactor()) {
                weightedRow(v, colour, position, gradOut.data, gradCentre.data, base, w, false);
              }
            });
    filter(t.imageNeighbour(), t.image(), t.sameFrame(), fast)
        .apply(
            u,
            win.mirrored(),
            (v, y, colour, position) ->
                weightedRow(v, colour, position, null, gradNeighbour.data, q.offset(v) + y * w, w, true));
    return new float[][] {perWeight(gColour, h), perWeight(gPosition, h)};
  }

  /**
   * out[base + x] (+)= f[base + x] * (w_colour colour[x] + w_position position[x]) for x < w, with
   * label v's weights; f = null stands for 1. Scalar on purpose: FloatVector code here made the JIT
   * box the vectors of b13's FFT once both had run in one JVM ({@link org.dpn4j.util.Vectors}).
   */
  private void weightedRow(
      int v, double[] colour, double[] position, float[] f, float[] out, int base, int w, boolean add) {
    double wc = colourWeight[weightIndex(v)];
    double wp = positionWeight[weightIndex(v)];
    for (int x = 0; x < w; x++) {
      double s = (wc * colour[x] + wp * position[x]) * (f == null ? 1 : f[base + x]);
      out[base + x] = (float) (add ? out[base + x] + s : s);
    }
  }

  /** sum_x a[base + x] * b[x] for x < w. */
  private static double dot(float[] a, int base, double[] b, int w) {
    double s = 0;
    for (int x = 0; x < w; x++) {
      s += a[base + x] * b[x];
    }
    return s;
  }

  private float[] perWeight(double[] perLabelRow, int h) {
    double[] sums = new double[colourWeight.length];
    for (int v = 0; v < labels; v++) {
      for (int y = 0; y < h; y++) {
        sums[weightIndex(v)] += perLabelRow[v * h + y];
      }
    }
    float[] out = new float[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) sums[i];
    }
    return out;
  }

  private static Maps product(Maps a, Maps b) {
    Maps out = a.zerosLike();
    int plane = a.plane();
    Parallel.forEach(
        a.c,
        k -> {
          for (int i = k * plane; i < (k + 1) * plane; i++) {
            out.data[i] = a.data[i] * b.data[i];
          }
        });
    return out;
  }

  private int weightIndex(int v) {
    return options.perLabelWeights() ? v : 0;
  }

  /**
   * The filter with the colour at j from {@code centre} and at z from {@code neighbour}. The self
   * term is a node's own pair, so it can only be skipped within one frame.
   */
  private PenaltyFilter filter(Maps centre, Maps neighbour, boolean sameFrame, boolean fast) {
    boolean selfTerm = options.selfTerm() || !sameFrame;
    if (options.kernel() == Kernel.GAUSSIAN) {
      return new WindowedFilter(
          WindowedFilter.gaussian(centre, neighbour, options.sxyG(), options.sxyB(), options.srgb(), fast),
          selfTerm,
          options.normalise());
    }
    return fast
        ? new BoxSumFilter(centre, neighbour, options.normalise())
        : new WindowedFilter(WindowedFilter.linear(centre, neighbour), selfTerm, options.normalise());
  }

  private void check(Term t) {
    Maps q = t.q();
    if (q.c != labels) {
      throw new IllegalArgumentException("b12 expects " + labels + " label maps, q has " + q.c + " (" + q.shape() + ")");
    }
    requireColours(t.image(), "an RGB image");
    q.requireSameSize(t.image(), "the image");
    if (!t.sameFrame()) {
      if (!t.qNeighbour().sameShape(q)) {
        throw new IllegalArgumentException(
            "the neighbour frame's q is " + t.qNeighbour().shape() + " but q is " + q.shape());
      }
      requireColours(t.imageNeighbour(), "the neighbour frame's image");
      q.requireSameSize(t.imageNeighbour(), "the neighbour frame's image");
    }
  }

  private static void requireColours(Maps image, String what) {
    if (image.c != 3) {
      throw new IllegalArgumentException("b12 needs " + what + " with 3 channels, got " + image.shape());
    }
  }
}
